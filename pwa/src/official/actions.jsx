// The confirmation sheet of one action on a dossier: it asks only for what the action needs (reason, missing
// documents, assignee, return method, new date), checks it, and sends it with the dossier's version.
import { useRef, useState } from 'preact/hooks';
import { isNetworkError, post, uuid } from '../lib/api.js';
import { todayVn } from '../lib/format.js';
import { errorText, hasText, t } from '../lib/i18n.js';
import { state } from '../lib/store.js';
import { Alert, Dialog, ErrorSummary, FormGroup } from '../components/ui.jsx';
import { handleAuthError } from './common.jsx';
import { SUPPLEMENT_KINDS, buildAction, emptyActionInput } from './logic.js';

export const actionLabel = (a) =>
  (state.lang === 'en' && (a.label_en || (hasText(`step.${a.action}`) && t(`step.${a.action}`)))) || a.label_vi || a.action;

// Server field names → the input that fixes them.
const FIELD_INPUT = {
  reason: 'act-reason',
  comment: 'act-reason',
  note: 'act-note',
  missing: 'act-missing',
  assignee_id: 'act-assignee',
  method: 'act-method',
  tracking_number: 'act-tracking',
  address: 'act-address',
  new_due_date: 'act-date',
};

const errText = (e) => (e ? e.text || t(e.key, e.vars) : '');

function tomorrowVn() {
  const [y, m, d] = todayVn().split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return next.toISOString().slice(0, 10);
}

function TextArea({ id, label, hint, value, onInput, error, testid, rows = 3 }) {
  return (
    <FormGroup id={id} label={label} hint={hint} error={error}>
      {(aria) => (
        <textarea
          class={`textarea textarea--short${error ? ' input--error' : ''}`}
          {...aria}
          rows={rows}
          value={value}
          data-testid={testid}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </FormGroup>
  );
}

function TextInput({ id, label, value, onInput, error, type = 'text', ...rest }) {
  return (
    <FormGroup id={id} label={label} error={error}>
      {(aria) => <input class={`input${error ? ' input--error' : ''}`} {...aria} type={type} value={value} onInput={(e) => onInput(e.currentTarget.value)} {...rest} />}
    </FormGroup>
  );
}

function Radios({ id, legend, options, value, onChange, error, testid }) {
  return (
    <FormGroup id={id} label={legend} legend error={error}>
      {options.map(([v, text], i) => {
        const oid = i === 0 ? id : `${id}-${i}`;
        return (
          <div class="radio" key={v}>
            <input class="radio__input" type="radio" id={oid} name={id} value={v} checked={value === v} onChange={() => onChange(v)} data-testid={testid} />
            <label class="radio__label" for={oid}>
              {text}
            </label>
          </div>
        );
      })}
    </FormGroup>
  );
}

function kindLabel(kind) {
  return t(`kind.${kind}`);
}

function MissingDocuments({ documents, input, set, errors }) {
  const setDoc = (id, patch) => set({ docs: { ...input.docs, [id]: { checked: false, reason: '', ...input.docs[id], ...patch } } });
  const setExtra = (key, patch) => set({ extra: input.extra.map((r) => (r.key === key ? { ...r, ...patch } : r)) });
  const add = () => set({ extra: [...input.extra, { key: uuid().slice(0, 8), name: '', kind: 'copy', reason: '' }] });
  const remove = (key) => set({ extra: input.extra.filter((r) => r.key !== key) });
  const groupError = errText(errors['act-missing']);
  return (
    <FormGroup id="act-missing" label={t('act.missing')} labelClass="label label--m" legend fieldset={{ id: 'act-missing', tabIndex: -1 }} hint={t('act.missing_hint')} error={groupError}>
      {documents.map((d) => {
        const row = input.docs[d.id] || {};
        const cid = `act-doc-${d.id}`;
        return (
          <div class="missing-doc" key={d.id}>
            <div class="checkbox">
              <input class="checkbox__input" type="checkbox" id={cid} checked={Boolean(row.checked)} onChange={(e) => setDoc(d.id, { checked: e.currentTarget.checked })} data-testid="missing-doc" />
              <label class="checkbox__label" for={cid}>
                {d.name}
                <span class="muted"> · {d.kind_label_vi || kindLabel(d.kind)}</span>
              </label>
            </div>
            {row.checked && (
              <div class="missing-doc__reason">
                <TextInput
                  id={`act-doc-reason-${d.id}`}
                  label={t('act.doc_reason_for', { name: d.name })}
                  value={row.reason || ''}
                  onInput={(v) => setDoc(d.id, { reason: v })}
                  error={errText(errors[`act-doc-reason-${d.id}`])}
                />
              </div>
            )}
          </div>
        );
      })}
      {input.extra.map((r, i) => (
        <fieldset class="fieldset missing-extra" key={r.key}>
          <legend class="label">{t('act.extra_title', { n: i + 1 })}</legend>
          <TextInput id={`act-extra-name-${r.key}`} label={t('act.doc_name')} value={r.name} onInput={(v) => setExtra(r.key, { name: v })} error={errText(errors[`act-extra-name-${r.key}`])} />
          <FormGroup id={`act-extra-kind-${r.key}`} label={t('act.doc_kind')}>
            {(aria) => (
              <select class="select" {...aria} value={r.kind} onChange={(e) => setExtra(r.key, { kind: e.currentTarget.value })}>
                {SUPPLEMENT_KINDS.map((k) => (
                  <option value={k} key={k}>
                    {kindLabel(k)}
                  </option>
                ))}
              </select>
            )}
          </FormGroup>
          <TextInput id={`act-extra-reason-${r.key}`} label={t('act.doc_reason')} value={r.reason} onInput={(v) => setExtra(r.key, { reason: v })} error={errText(errors[`act-extra-reason-${r.key}`])} />
          <button type="button" class="link-button link-button--danger" onClick={() => remove(r.key)}>
            {t('act.remove_row')}
            <span class="visually-hidden"> {t('act.extra_title', { n: i + 1 })}</span>
          </button>
        </fieldset>
      ))}
      <button type="button" class="button button--secondary button--small" onClick={add} data-testid="add-missing">
        {t('act.add_row')}
      </button>
    </FormGroup>
  );
}

/**
 * onDone(dossier) after success; onStale() on 409 stale_version (the page reloads the dossier).
 */
export function ActionDialog({ dossier, action, documents, onClose, onDone, onStale }) {
  const [input, setInput] = useState(emptyActionInput);
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const key = useRef(uuid());
  const needs = new Set(action.needs || []);
  const name = action.action;
  const set = (patch) => setInput((x) => ({ ...x, ...patch }));
  const supplement = needs.has('missing') || name === 'request_supplement';

  const submit = async (e) => {
    e.preventDefault();
    setFailure('');
    const built = buildAction(name, [...needs], input, { version: dossier.version, documents, today: todayVn() });
    setErrors(built.errors);
    setAttempt((n) => n + 1);
    if (Object.keys(built.errors).length) return;
    setBusy(true);
    try {
      const d = await post(`/work/dossiers/${encodeURIComponent(dossier.id)}/actions/${encodeURIComponent(name)}`, built.body, { idempotencyKey: key.current });
      onDone(d);
    } catch (err) {
      if (!isNetworkError(err)) key.current = uuid(); // an answer came back: a changed body is a new request
      if (handleAuthError(err)) return;
      if (err.status === 409 && err.code === 'stale_version') {
        onStale();
        return;
      }
      const fields = {};
      for (const [k, v] of Object.entries(err.fields || {})) fields[FIELD_INPUT[k] || 'act-reason'] = { text: v };
      setErrors(fields);
      setFailure(Object.keys(fields).length ? '' : errorText(err));
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  const summary = Object.entries(errors).map(([id, er]) => ({ href: `#${id}`, text: errText(er) }));
  const reasonLabel = name === 'send_back' ? t('act.comment') : t('act.reason');
  const reasonHint = name === 'send_back' ? t('act.comment_hint') : t('act.reason_hint');

  return (
    <Dialog title={actionLabel(action)} onClose={onClose} id="action">
      <form onSubmit={submit} noValidate>
        <ErrorSummary errors={summary} attempt={attempt} />
        <Alert>{failure}</Alert>
        <p class="body">{t('act.confirm_q', { label: actionLabel(action), code: dossier.code })}</p>
        {supplement && <MissingDocuments documents={documents} input={input} set={set} errors={errors} />}
        {needs.has('reason') && (
          <TextArea id="act-reason" testid="action-reason" label={reasonLabel} hint={reasonHint} value={input.reason} onInput={(v) => set({ reason: v })} error={errText(errors['act-reason'])} />
        )}
        {(needs.has('note') || name === 'propose' || supplement) && (
          <TextArea id="act-note" testid="action-note" label={supplement ? t('act.supplement_note') : t('act.note_optional')} value={input.note} onInput={(v) => set({ note: v })} error={errText(errors['act-note'])} />
        )}
        {needs.has('assignee') &&
          ((dossier.candidates || []).length ? (
            <Radios
              id="act-assignee"
              testid="assignee-option"
              legend={t('act.assignee')}
              options={dossier.candidates.map((c) => [c.id, c.name])}
              value={input.assignee_id}
              onChange={(v) => set({ assignee_id: v })}
              error={errText(errors['act-assignee'])}
            />
          ) : (
            <p class="body" id="act-assignee" tabIndex={-1}>
              {t('act.no_candidates')}
            </p>
          ))}
        {needs.has('method') && (
          <>
            <Radios
              id="act-method"
              testid="return-method"
              legend={t('act.method')}
              options={['online', 'counter', 'post'].map((m) => [m, t(`method.${m}`)])}
              value={input.method}
              onChange={(v) => set({ method: v })}
              error={errText(errors['act-method'])}
            />
            {input.method === 'post' && (
              <div class="conditional">
                <TextArea id="act-address" label={t('act.address')} value={input.address} onInput={(v) => set({ address: v })} error={errText(errors['act-address'])} rows={2} />
                <TextInput id="act-tracking" label={t('act.tracking')} value={input.tracking_number} onInput={(v) => set({ tracking_number: v })} error={errText(errors['act-tracking'])} autoComplete="off" spellcheck={false} />
              </div>
            )}
          </>
        )}
        {needs.has('date') && (
          <TextInput id="act-date" type="date" label={t('act.new_date')} value={input.new_due_date} min={tomorrowVn()} onInput={(v) => set({ new_due_date: v })} error={errText(errors['act-date'])} />
        )}
        <div class="dialog__actions">
          <button type="submit" class={`button${/^(refuse|stop|send_back)$/.test(name) ? ' button--warning' : ''}`} disabled={busy} data-testid="confirm-action">
            {busy ? t('sending') : t('act.confirm')}
          </button>
          <button type="button" class="button button--secondary" onClick={onClose} disabled={busy}>
            {t('dialog.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
