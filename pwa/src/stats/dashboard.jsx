// "/can-bo/tong-quan" — the leaders' overview: the units with the lowest on-time rates (above a volume threshold)
// and the overdue dossiers of one unit, a page at a time. Leaders see their units; provincial leaders see all.
import { useState } from 'preact/hooks';
import { qs } from '../lib/api.js';
import { useLoad, usePages } from '../lib/data.js';
import { errorText, t } from '../lib/i18n.js';
import { replaceQuery } from '../lib/router.js';
import { FormGroup, LoadError, Loading, Page } from '../components/ui.jsx';
import { useOfficial, workGet } from '../official/common.jsx';
import { UnitRateTable } from './unit-table.jsx';
import './text.js';
import './stats.css';

const MIN_RESOLVED = 10;
// a 401 has already sent the official to the sign-in page (workGet): nothing to show for it
const signedOut = (error) => error.status === 401;

function Worst() {
  const worst = useLoad(() => workGet(`/dashboard/worst-units?min_resolved=${MIN_RESOLVED}`), []);
  if (worst.error) return signedOut(worst.error) ? null : <LoadError error={worst.error} onRetry={worst.reload} />;
  if (!worst.data) return <Loading />;
  return (
    <section aria-labelledby="worst-title">
      <h2 class="heading-m" id="worst-title">{t('db.worst')}</h2>
      <p class="hint">{t('db.worst_hint', { n: worst.data.min_resolved })}</p>
      {worst.data.items.length ? (
        <UnitRateTable groups={worst.data.items} testid="worst-units" />
      ) : (
        <p class="body" data-testid="worst-units-none">{t('db.none_worst')}</p>
      )}
    </section>
  );
}

function Overdue({ units, initial }) {
  const [unit, setUnit] = useState(initial && units.some((u) => u.id === initial) ? initial : units[0].id);
  const list = usePages((token) => workGet(`/dashboard/overdue${qs({ unit, page_token: token })}`), [unit]);
  const choose = (e) => {
    const id = e.currentTarget.value;
    replaceQuery({ unit: id });
    setUnit(id);
  };
  return (
    <section aria-labelledby="overdue-title">
      <h2 class="heading-m" id="overdue-title">{t('db.overdue')}</h2>
      <FormGroup id="db-unit" label={t('db.overdue_unit')}>
        {(aria) => (
          <select class="select" {...aria} value={unit} onChange={choose} data-testid="overdue-unit">
            {units.map((u) => (
              <option key={u.id} value={u.id}>{u.name}</option>
            ))}
          </select>
        )}
      </FormGroup>
      {list.error && !signedOut(list.error) && <LoadError error={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <Loading />}
      {list.data && (list.items.length ? (
        <ul class="overdue-list" data-testid="overdue-list">
          {list.items.map((d) => (
            <li key={d.id} data-code={d.code}>
              <a href={`/can-bo/ho-so/${encodeURIComponent(d.id)}`}>{d.code}</a> — {d.procedure.name}
              <br />
              <span class="chip chip--red">{t('db.days', { n: d.days_overdue })}</span> <span class="muted">{t(`status.${d.status}`)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="body" data-testid="overdue-none">{t('db.none_overdue')}</p>
      ))}
      {list.moreError && <p class="error-message" role="alert">{errorText(list.moreError)}</p>}
      {list.next && (
        <button type="button" class="button button--secondary" onClick={list.more} disabled={list.busy}>
          {t('more')}
        </button>
      )}
    </section>
  );
}

export function Dashboard({ query }) {
  const me = useOfficial();
  const units = useLoad(() => (me ? workGet('/dashboard/units') : null), [me && me.id]);
  let body;
  if (!me) body = <Loading />;
  else if (units.error && units.error.status === 403) body = <p class="body" data-testid="dashboard-forbidden">{t('db.not_leader')}</p>;
  else if (units.error) body = signedOut(units.error) ? null : <LoadError error={units.error} onRetry={units.reload} />;
  else if (!units.data) body = <Loading />;
  else
    body = (
      <>
        <Worst />
        <Overdue units={units.data.items} initial={query.get('unit')} />
      </>
    );
  return (
    <Page title={t('db.title')}>
      <p class="body">{t('db.lead')}</p>
      {body}
    </Page>
  );
}
