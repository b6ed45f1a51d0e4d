// "/can-bo/ho-so" — what the official's unit has to handle, by deadline: unit choice (remembered), filters,
// "Quá hạn" / "Sắp đến hạn" badges, paging, and for a leader, ticking dossiers awaiting approval to sign at once.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, qs } from '../lib/api.js';
import { cachedGet, getOffices, useLoad } from '../lib/data.js';
import { formatDateTime, formatDueDate } from '../lib/format.js';
import { t, tx } from '../lib/i18n.js';
import { navigate, replaceQuery } from '../lib/router.js';
import { state } from '../lib/store.js';
import { FormGroup, LoadError, Loading, Page, StatusChip } from '../components/ui.jsx';
import { PushCard } from '../components/push-card.jsx';
import { DueBadge, handleAuthError, rememberUnit, rolesText, stageLabel, statusText, storedUnit, useOfficial } from './common.jsx';
import { badgeOf, hasRole, mergePage, pickUnit, sortByDue, unitsOf } from './logic.js';

const STATUSES = ['submitted', 'received', 'supplement_requested', 'in_progress', 'fee_due', 'withdrawal_requested', 'done', 'returned', 'refused', 'stopped'];

function Item({ item, selectable, selected, onToggle }) {
  const badge = badgeOf(item);
  const href = `/can-bo/ho-so/${encodeURIComponent(item.id)}`;
  const checkId = `sel-${item.id}`;
  return (
    <li class={`work-item${badge ? ` work-item--${badge}` : ''}`} data-testid="worklist-item" data-code={item.code} data-stage={item.stage}>
      <div class="work-item__row">
        {selectable && (
          <div class="work-item__select">
            <input
              class="checkbox__input"
              type="checkbox"
              id={checkId}
              checked={selected}
              onChange={(e) => onToggle(item.id, e.currentTarget.checked)}
              data-testid="select-for-signing"
            />
            <label class="visually-hidden" for={checkId}>
              {t('work.select', { code: item.code })}
            </label>
          </div>
        )}
        <div class="work-item__main">
          <p class="work-item__top">
            <span class="code work-item__code">{item.code}</span>
            <DueBadge badge={badge} />
          </p>
          <a class="work-item__title" href={href}>
            {tx(item.procedure)}
          </a>
          <dl class="work-item__meta">
            <div>
              <dt>{t('work.applicant')}:</dt> <dd>{item.applicant_name || '—'}</dd>
            </div>
            <div>
              <dt class="visually-hidden">{t('wd.stage')}:</dt>{' '}
              <dd>
                <span class="stage">{stageLabel(item)}</span>
                {item.status_label_vi && (
                  <>
                    {' '}
                    <StatusChip status={item.status} label={statusText(item)} />
                  </>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('work.due')}:</dt> <dd class={badge ? `due due--${badge}` : 'due'}>{item.due_at ? formatDueDate(item.due_at, state.lang) : t('work.no_due')}</dd>
            </div>
            {item.assignee && (
              <div>
                <dt>{t('work.assignee')}:</dt> <dd>{item.assignee.name}</dd>
              </div>
            )}
          </dl>
        </div>
      </div>
    </li>
  );
}

function Filters({ filters, onChange, procedures, offices }) {
  const active = Object.values(filters).filter(Boolean).length;
  const select = (key, label, all, options) => (
    <FormGroup id={`filter-${key}`} label={label}>
      {(aria) => (
        <select class="select" {...aria} data-testid={`filter-${key}`} value={filters[key]} onChange={(e) => onChange({ ...filters, [key]: e.currentTarget.value })}>
          <option value="">{all}</option>
          {options.map(([value, text]) => (
            <option value={value} key={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </FormGroup>
  );
  return (
    <details class="details filters-box" open={active > 0}>
      <summary class="details__summary">{active ? t('work.filters_on', { n: active }) : t('work.filters')}</summary>
      <div class="filters-box__body">
        {select('status', t('work.status'), t('work.all_status'), STATUSES.map((s) => [s, t(`status.${s}`)]))}
        {select('procedure', t('work.procedure'), t('work.all_procedures'), procedures.map((p) => [p.code, tx(p)]))}
        {select('office', t('work.office'), t('work.all_offices'), offices.map((o) => [o.id, tx(o)]))}
        {active > 0 && (
          <button type="button" class="button button--secondary button--small" onClick={() => onChange({ status: '', procedure: '', office: '' })}>
            {t('work.clear')}
          </button>
        )}
      </div>
    </details>
  );
}

function WorklistView({ user, query }) {
  const units = unitsOf(user);
  const [unit, setUnit] = useState(() => pickUnit(user, query.get('unit'), storedUnit()));
  const [filters, setFilters] = useState({ status: query.get('status') || '', procedure: query.get('procedure') || '', office: query.get('office') || '' });
  const [list, setList] = useState({ items: [], next: null, loading: true, more: false, error: null, at: null });
  const [selected, setSelected] = useState([]);
  const seq = useRef(0);
  const leader = hasRole(user, 'leader', unit);
  const lists = useLoad(() => Promise.all([cachedGet('/procedures').then((r) => r.items || [], () => []), getOffices().catch(() => [])]), []);
  const [procedures, offices] = lists.data || [[], []];
  const current = units.find((u) => u.unit_id === unit);

  const load = async (token) => {
    const n = ++seq.current;
    setList((x) => ({ ...x, loading: !token, more: Boolean(token), error: null }));
    try {
      const res = await get('/work/dossiers' + qs({ unit, ...filters, page_token: token }));
      if (n !== seq.current) return;
      setList((x) => ({
        items: sortByDue(token ? mergePage(x.items, res.items || []) : res.items || []),
        next: res.next_page_token || null,
        loading: false,
        more: false,
        error: null,
        at: token ? x.at : new Date(),
      }));
    } catch (e) {
      if (n !== seq.current || handleAuthError(e)) return;
      setList((x) => ({ ...x, loading: false, more: false, error: e }));
    }
  };

  useEffect(() => {
    if (!unit) return;
    rememberUnit(unit);
    replaceQuery({ unit: units.length > 1 ? unit : '', ...filters });
    setSelected([]);
    load(null);
  }, [unit, filters.status, filters.procedure, filters.office]);

  const toggle = (id, on) => setSelected((xs) => (on ? [...xs.filter((x) => x !== id), id] : xs.filter((x) => x !== id)));
  const approvals = list.items.filter((x) => x.stage === 'approval');
  const chosen = selected.filter((id) => approvals.some((x) => x.id === id));
  const filtered = Object.values(filters).some(Boolean);

  return (
    <Page title={t('work.title')} caption={current && units.length === 1 ? `${current.unit_name} · ${rolesText(current)}` : t('off.caption')}>
      {hasRole(user, 'leader') && (
        <p class="body">
          <a href="/can-bo/tong-quan" data-testid="dashboard-link">{t('work.dashboard')}</a>
        </p>
      )}
      {!units.length && (
        <div class="notice notice--error" role="alert">
          <p>{t('work.no_unit')}</p>
        </div>
      )}
      {units.length > 1 && (
        // the roles held in the chosen unit follow the dropdown (they change with it), so they are not the group's hint
        <FormGroup id="unit-select" label={t('work.unit')}>
          <select class="select" id="unit-select" data-testid="unit-select" aria-describedby="unit-roles" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
            {units.map((u) => (
              <option value={u.unit_id} key={u.unit_id}>
                {u.unit_name}
              </option>
            ))}
          </select>
          {current && (
            <p class="hint hint--inline" id="unit-roles">
              {t('work.roles', { roles: rolesText(current) })}
            </p>
          )}
        </FormGroup>
      )}
      {units.length > 0 && (
        <>
          <PushCard audience="official" />
          <Filters filters={filters} onChange={setFilters} procedures={procedures} offices={offices} />
          <div class="toolbar">
            <p class="toolbar__text" role="status">
              {list.loading ? t('loading') : list.at ? t('work.refreshed', { time: formatDateTime(list.at.toISOString()).slice(0, 5) }) : ''}
            </p>
            <button type="button" class="button button--secondary button--small" onClick={() => load(null)} disabled={list.loading} data-testid="refresh">
              <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.75 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35z" />
              </svg>
              {t('work.refresh')}
            </button>
          </div>
          {list.error && <LoadError error={list.error} onRetry={() => load(null)} />}
          {list.loading && !list.items.length && <Loading />}
          {!list.loading && !list.error && !list.items.length && <p class="body">{filtered ? t('work.empty_filtered') : t('work.empty')}</p>}
          {list.items.length > 0 && (
            <>
              <p class="results__count">{t('work.count', { n: list.items.length })}</p>
              {leader && approvals.length > 0 && <p class="hint">{t('work.sign_hint')}</p>}
              <ul class="worklist" aria-busy={list.loading ? 'true' : undefined}>
                {list.items.map((x) => (
                  <Item item={x} key={x.id} selectable={leader && x.stage === 'approval'} selected={chosen.includes(x.id)} onToggle={toggle} />
                ))}
              </ul>
            </>
          )}
          {list.next && (
            <button type="button" class="button button--secondary" onClick={() => load(list.next)} disabled={list.more} data-testid="load-more">
              {list.more ? t('loading') : t('more')}
            </button>
          )}
          {chosen.length > 0 && (
            <div class="action-bar">
              <button type="button" class="button action-bar__button" data-testid="batch-sign" onClick={() => navigate(`/can-bo/ky?ids=${chosen.map(encodeURIComponent).join(',')}`)}>
                {t('work.sign_n', { n: chosen.length })}
              </button>
            </div>
          )}
        </>
      )}
    </Page>
  );
}

export function Worklist({ query }) {
  const user = useOfficial();
  if (!user) return <Loading />;
  return <WorklistView user={user} query={query} />;
}
