// "/tra-cuu" — public tracking by dossier code + phone (both must match; the server rate-limits).
import { useState } from 'preact/hooks';
import { get, qs } from '../lib/api.js';
import { formatDateTime, formatDueDate } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { state } from '../lib/store.js';
import { isMobile, normalisePhone } from '../lib/validate.js';
import { Alert, ErrorSummary, FormGroup, Page, StatusChip, SummaryList, Timeline, statusLabel } from '../components/ui.jsx';
import { INPUT_PROPS } from '../components/field.jsx';

export function Track({ query }) {
  const [code, setCode] = useState(query.get('ma') || '');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [attempt, setAttempt] = useState(0);

  const check = (c, p) => {
    const e = {};
    if (!c.trim()) e.code = t('track.code_required');
    if (!p.trim()) e.phone = t('signin.phone_required');
    else if (!isMobile(p)) e.phone = t('signin.phone_invalid');
    return e;
  };
  const submit = async (ev) => {
    ev.preventDefault();
    const e = check(code, phone);
    setErrors(e);
    setAttempt((n) => n + 1);
    setFailure('');
    if (Object.keys(e).length) return;
    setBusy(true);
    setResult(null);
    try {
      setResult(await get(`/track/${encodeURIComponent(code.trim())}` + qs({ phone: normalisePhone(phone) })));
    } catch (err) {
      setFailure(errorText(err));
    }
    setBusy(false);
  };
  const onInput = (setter, key) => (ev) => {
    const v = ev.currentTarget.value;
    setter(v);
    if (errors[key]) setErrors(check(key === 'code' ? v : code, key === 'phone' ? v : phone));
  };

  const summary = [errors.code && { href: '#track-code', text: errors.code }, errors.phone && { href: '#track-phone', text: errors.phone }].filter(Boolean);
  const history = result ? [...(result.history || [])].sort((a, b) => (a.at < b.at ? -1 : 1)) : [];

  return (
    <Page title={t('track.title')}>
      <ErrorSummary errors={summary} attempt={attempt} />
      <p class="body">{t('track.lead')}</p>
      <form onSubmit={submit} noValidate>
        <FormGroup id="track-code" label={t('track.code')} hint={t('track.code_hint')} error={errors.code}>
          {(aria) => (
            <input
              class={`input${errors.code ? ' input--error' : ''}`}
              {...aria}
              name="code"
              type="text"
              autoCapitalize="characters"
              autoComplete="off"
              spellcheck={false}
              data-testid="track-code"
              value={code}
              onInput={onInput(setCode, 'code')}
            />
          )}
        </FormGroup>
        <FormGroup id="track-phone" label={t('track.phone')} error={errors.phone}>
          {(aria) => (
            <input
              class={`input input--w14${errors.phone ? ' input--error' : ''}`}
              {...aria}
              name="phone"
              {...INPUT_PROPS.phone}
              data-testid="track-phone"
              value={phone}
              onInput={onInput(setPhone, 'phone')}
            />
          )}
        </FormGroup>
        <button class="button" type="submit" disabled={busy} data-testid="track-submit">
          {busy ? t('track.searching') : t('track.submit')}
        </button>
      </form>

      <div aria-live="polite">
        <Alert>{failure}</Alert>
        {result && (
          <section class="track-result" aria-labelledby="track-result-title">
            <h2 class="heading-m" id="track-result-title">
              {t('track.result')}: <span class="code">{result.code}</span>
            </h2>
            <p class="status-line">
              <StatusChip status={result.status} label={statusLabel(result)} />
            </p>
            <SummaryList
              rows={[
                [t('dossier.procedure'), tx(result.procedure)],
                result.receiving_office && [t('dossier.receiving'), tx(result.receiving_office)],
                result.competent_unit && [t('dossier.competent'), tx(result.competent_unit)],
                result.submitted_at && [t('dossier.submitted'), formatDateTime(result.submitted_at)],
                result.due_at && [t('dossier.due'), formatDueDate(result.due_at, state.lang)],
              ]}
            />
            {history.length > 0 && (
              <>
                <h3 class="heading-s">{t('dossier.history')}</h3>
                <Timeline items={history} formatAt={formatDateTime} />
              </>
            )}
          </section>
        )}
      </div>
    </Page>
  );
}
