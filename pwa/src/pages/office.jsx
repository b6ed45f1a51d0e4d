// "/ho-so/<id>/noi-nop" — the receiving office (any one-stop office of the province: "phi địa giới") and,
// for commune-level procedures, the competent commune (defaults to the chosen office when it is a commune).
import { useState } from 'preact/hooks';
import { getCommunes, getOffices, useLoad } from '../lib/data.js';
import { t, tx } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { ErrorSummary, FormGroup, LoadError, Loading, Page } from '../components/ui.jsx';
import { useDraft } from '../offline/drafts.js';
import { DraftGate, SaveStatus, StepActions, neighbours, serverErrorFor, stepCaption } from './filing.jsx';

export const needsCommune = (proc) => Boolean(proc.authority && proc.authority.level === 'commune' && !proc.authority.unit);

const LEVELS = ['province', 'district', 'commune'];

/** The commune unit matching an office: the office itself or its parent unit. */
export function communeForOffice(office, communes) {
  if (!office) return '';
  const ids = new Set(communes.map((c) => c.id));
  return [office.id, office.parent_id].find((x) => x && ids.has(x)) || '';
}

function Select({ id, label, hint, error, value, onChange, children }) {
  return (
    <FormGroup id={id} label={label} labelClass="label label--m" hint={hint} error={error}>
      {(aria) => (
        <select class={`select select--full${error ? ' select--error' : ''}`} {...aria} value={value || ''} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">{t('field.choose')}</option>
          {children}
        </select>
      )}
    </FormGroup>
  );
}

function Step({ ctrl, from }) {
  const rec = ctrl.rec;
  const proc = rec.procedure;
  const commune = needsCommune(proc);
  const { index, total, back, next } = neighbours(rec, 'office', from);
  const lists = useLoad(() => Promise.all([getOffices(), commune ? getCommunes() : []]), [commune]);
  const [errors, setErrors] = useState({});
  const [attempt, setAttempt] = useState(0);

  if (lists.loading) return <Loading />;
  if (lists.error) {
    return (
      <Page title={t('office.title')} caption={stepCaption(rec, index, total)} back={back}>
        <LoadError error={lists.error} onRetry={lists.reload} />
      </Page>
    );
  }
  const [offices, communes] = lists.data;

  const check = (r) => {
    const e = {};
    if (!r.receiving_office_id) e.receiving_office_id = t('office.choose_receiving');
    if (commune && !r.competent_unit_id) e.competent_unit_id = t('office.choose_competent');
    return e;
  };
  const chooseOffice = (id) => {
    const office = offices.find((o) => o.id === id);
    ctrl.change(
      (r) => {
        r.receiving_office_id = id;
        // default the competent commune to the office's, unless the citizen already chose one
        if (commune && (!r.competent_unit_id || r.competentDefaulted)) {
          r.competent_unit_id = communeForOffice(office, communes);
          r.competentDefaulted = true;
        }
      },
      { office: true },
    );
    if (Object.keys(errors).length) setErrors(check(ctrl.rec));
  };
  const chooseCommune = (id) => {
    ctrl.change(
      (r) => {
        r.competent_unit_id = id;
        r.competentDefaulted = false;
      },
      { office: true },
    );
    if (Object.keys(errors).length) setErrors(check(ctrl.rec));
  };
  const submit = (e) => {
    e.preventDefault();
    const errs = check(rec);
    setErrors(errs);
    setAttempt((n) => n + 1);
    if (Object.keys(errs).length) return;
    ctrl.sync();
    navigate(next);
  };

  const shown = (k) => errors[k] || serverErrorFor(rec, k);
  const summary = [
    shown('receiving_office_id') && { href: '#receiving-office', text: shown('receiving_office_id') },
    commune && shown('competent_unit_id') && { href: '#competent-unit', text: shown('competent_unit_id') },
  ].filter(Boolean);
  const byLevel = LEVELS.map((l) => [l, offices.filter((o) => o.level === l)]).filter(([, list]) => list.length);
  const others = offices.filter((o) => !LEVELS.includes(o.level));

  return (
    <Page title={t('office.title')} caption={stepCaption(rec, index, total)} back={back}>
      <ErrorSummary errors={summary} attempt={attempt} />
      <form onSubmit={submit} noValidate>
        <Select id="receiving-office" label={t('office.receiving')} hint={t('office.receiving_hint')} error={shown('receiving_office_id')} value={rec.receiving_office_id} onChange={chooseOffice}>
          {byLevel.map(([level, list]) => (
            <optgroup label={t(`office.group.${level}`)} key={level}>
              {list.map((o) => (
                <option value={o.id} key={o.id}>
                  {tx(o)}
                </option>
              ))}
            </optgroup>
          ))}
          {others.map((o) => (
            <option value={o.id} key={o.id}>
              {tx(o)}
            </option>
          ))}
        </Select>
        {rec.receiving_office_id && (() => {
          const o = offices.find((x) => x.id === rec.receiving_office_id);
          return o && o.address ? <p class="hint office-address">{o.address}</p> : null;
        })()}
        {commune ? (
          <Select id="competent-unit" label={t('office.competent')} hint={t('office.competent_hint')} error={shown('competent_unit_id')} value={rec.competent_unit_id} onChange={chooseCommune}>
            {communes.map((c) => (
              <option value={c.id} key={c.id}>
                {tx(c)}
              </option>
            ))}
          </Select>
        ) : (
          proc.authority && proc.authority.unit && <p class="body">{t('office.fixed', { name: tx(proc.authority.unit) })}</p>
        )}
        <StepActions />
      </form>
      <SaveStatus ctrl={ctrl} />
    </Page>
  );
}

export function OfficeStep({ params, query }) {
  const ctrl = useDraft(params.id);
  return <DraftGate ctrl={ctrl}>{() => <Step ctrl={ctrl} from={query.get('from')} />}</DraftGate>;
}
