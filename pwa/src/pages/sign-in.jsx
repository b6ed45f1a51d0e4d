// "/dang-nhap" (phone) → "/dang-nhap/ma" (6-digit code) → back to where the citizen was (?next=).
import { useEffect, useState } from 'preact/hooks';
import { post, setCsrfToken } from '../lib/api.js';
import { errorText, t } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { setState, useAppState } from '../lib/store.js';
import { isMobile, normalisePhone } from '../lib/validate.js';
import { ErrorSummary, FormGroup, Page } from '../components/ui.jsx';
import { INPUT_PROPS } from '../components/field.jsx';
import { resumeAll } from '../offline/drafts.js';

const PHONE_KEY = 'motcua.signin';

// Only same-site paths, never "//evil.example" or the API.
export function safeNext(raw) {
  const next = raw || '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/api/') ? next : '/';
}

function pending() {
  try {
    return JSON.parse(sessionStorage.getItem(PHONE_KEY) || 'null');
  } catch {
    return null;
  }
}

/** The one field's error, and a count of the errors shown: every new error moves focus to the summary (a cleared
 * error does not). */
function useFieldError() {
  const [error, setErrorText] = useState('');
  const [attempt, setAttempt] = useState(0);
  const setError = (msg) => {
    setErrorText(msg);
    if (msg) setAttempt((n) => n + 1);
  };
  return [error, setError, attempt];
}

/** Both steps are one field and one button: the error summary linking to the field, the lead, the form. */
function OneFieldForm({ id, label, hint, error, attempt, lead, onSubmit, busy, button, testid, children }) {
  return (
    <>
      <ErrorSummary errors={error ? [{ href: `#${id}`, text: error }] : []} attempt={attempt} />
      <p class="body">{lead}</p>
      <form onSubmit={onSubmit} noValidate>
        <FormGroup id={id} label={label} labelClass="label label--m" hint={hint} error={error}>
          {children}
        </FormGroup>
        <button class="button" type="submit" disabled={busy} data-testid={testid}>
          {button}
        </button>
      </form>
    </>
  );
}

export function SignIn({ query }) {
  const next = safeNext(query.get('next'));
  const [phone, setPhone] = useState((pending() || {}).phone || '');
  const [error, setError, attempt] = useFieldError();
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    if (!phone.trim()) return setError(t('signin.phone_required'));
    if (!isMobile(phone)) return setError(t('signin.phone_invalid'));
    setBusy(true);
    setError('');
    const normalised = normalisePhone(phone);
    try {
      const res = await post('/auth/otp', { phone: normalised });
      sessionStorage.setItem(PHONE_KEY, JSON.stringify({ phone: normalised, expires_in: res.expires_in, resend_at: Date.now() + (res.resend_after || 60) * 1000 }));
      navigate(`/dang-nhap/ma?next=${encodeURIComponent(next)}`);
    } catch (err) {
      setError((err.fields && err.fields.phone) || errorText(err));
      setBusy(false);
    }
  };

  return (
    <Page title={t('signin.title')} back={next}>
      <OneFieldForm
        id="phone"
        label={t('signin.phone')}
        hint={t('signin.phone_hint')}
        error={error}
        attempt={attempt}
        lead={t('signin.lead')}
        onSubmit={submit}
        busy={busy}
        button={busy ? t('signin.sending') : t('signin.send')}
        testid="send-code"
      >
        {(aria) => (
          <input
            class={`input input--w14${error ? ' input--error' : ''}`}
            {...aria}
            name="phone"
            {...INPUT_PROPS.phone}
            data-testid="phone-input"
            value={phone}
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
        )}
      </OneFieldForm>
    </Page>
  );
}

export function SignInCode({ query }) {
  const s = useAppState();
  const next = safeNext(query.get('next'));
  const info = pending();
  const [code, setCode] = useState('');
  const [error, setError, attempt] = useFieldError();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (!info) navigate(`/dang-nhap?next=${encodeURIComponent(next)}`, { replace: true });
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!info) return null;

  const wait = Math.max(0, Math.ceil((info.resend_at - now) / 1000));

  const submit = async (e) => {
    e.preventDefault();
    const c = code.replace(/\s/g, '');
    if (!c) return setError(t('code.required'));
    if (!/^\d{6}$/.test(c)) return setError(t('code.invalid'));
    setBusy(true);
    setError('');
    try {
      const res = await post('/auth/verify', { phone: info.phone, code: c });
      setCsrfToken(res.csrf_token);
      sessionStorage.removeItem(PHONE_KEY);
      setState({ user: res.user });
      resumeAll(); // drafts and queued dossiers that waited for a session go on
      navigate(next, { replace: true });
    } catch (err) {
      setError((err.fields && err.fields.code) || errorText(err));
      setBusy(false);
    }
  };

  const resend = async () => {
    setStatus('');
    try {
      const res = await post('/auth/otp', { phone: info.phone });
      sessionStorage.setItem(PHONE_KEY, JSON.stringify({ ...info, resend_at: Date.now() + (res.resend_after || 60) * 1000 }));
      setNow(Date.now());
      setStatus(t('code.resent'));
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Page title={t('code.title')} back={`/dang-nhap?next=${encodeURIComponent(next)}`}>
      <OneFieldForm
        id="otp"
        label={t('code.label')}
        hint={t('code.hint')}
        error={error}
        attempt={attempt}
        lead={t('code.lead', { phone: info.phone, minutes: Math.round((info.expires_in || 300) / 60) })}
        onSubmit={submit}
        busy={busy}
        button={busy ? t('code.checking') : t('code.submit')}
        testid="verify-code"
      >
        {(aria) => (
          <input
            class={`input input--w6 input--code${error ? ' input--error' : ''}`}
            {...aria}
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            spellcheck={false}
            data-testid="code-input"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        )}
      </OneFieldForm>
      <p class="body" role="status" aria-live="polite">
        {status}
      </p>
      <p class="body">
        {wait > 0 ? (
          t('code.resend_wait', { s: wait })
        ) : (
          <button type="button" class="link-button" onClick={resend}>
            {t('code.resend')}
          </button>
        )}
      </p>
      <p class="body">
        <a href={`/dang-nhap?next=${encodeURIComponent(next)}`}>{t('code.change_phone')}</a>
      </p>
      {s.config.dev_mode && (
        <p class="dev-hint">
          <a href="/dev/outbox" target="_blank" rel="noopener" data-testid="dev-outbox-link">
            {t('code.dev_hint')}
          </a>
        </p>
      )}
    </Page>
  );
}
