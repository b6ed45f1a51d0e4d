// "/dang-nhap" (phone) → "/dang-nhap/ma" (6-digit code) → back to where the citizen was (?next=).
import { useEffect, useState } from 'preact/hooks';
import { post, setCsrfToken } from '../lib/api.js';
import { errorText, t } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { setState, useAppState } from '../lib/store.js';
import { isMobile, normalisePhone } from '../lib/validate.js';
import { ErrorSummary, FormGroup, Page } from '../components/ui.jsx';
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

export function SignIn({ query }) {
  const next = safeNext(query.get('next'));
  const [phone, setPhone] = useState((pending() || {}).phone || '');
  const [error, setErrorText] = useState('');
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // every new error moves focus to the summary (a cleared error does not)
  const setError = (msg) => {
    setErrorText(msg);
    if (msg) setAttempt((n) => n + 1);
  };

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
      <ErrorSummary errors={error ? [{ href: '#phone', text: error }] : []} attempt={attempt} />
      <p class="body">{t('signin.lead')}</p>
      <form onSubmit={submit} noValidate>
        <FormGroup id="phone" label={t('signin.phone')} labelClass="label label--m" hint={t('signin.phone_hint')} error={error}>
          {(aria) => (
            <input
              class={`input input--w14${error ? ' input--error' : ''}`}
              {...aria}
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              spellcheck={false}
              data-testid="phone-input"
              value={phone}
              onInput={(e) => setPhone(e.currentTarget.value)}
            />
          )}
        </FormGroup>
        <button class="button" type="submit" disabled={busy} data-testid="send-code">
          {busy ? t('signin.sending') : t('signin.send')}
        </button>
      </form>
    </Page>
  );
}

export function SignInCode({ query }) {
  const s = useAppState();
  const next = safeNext(query.get('next'));
  const info = pending();
  const [code, setCode] = useState('');
  const [error, setErrorText] = useState('');
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // every new error moves focus to the summary (a cleared error does not)
  const setError = (msg) => {
    setErrorText(msg);
    if (msg) setAttempt((n) => n + 1);
  };
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
      <ErrorSummary errors={error ? [{ href: '#otp', text: error }] : []} attempt={attempt} />
      <p class="body">{t('code.lead', { phone: info.phone, minutes: Math.round((info.expires_in || 300) / 60) })}</p>
      <form onSubmit={submit} noValidate>
        <FormGroup id="otp" label={t('code.label')} labelClass="label label--m" hint={t('code.hint')} error={error}>
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
        </FormGroup>
        <button class="button" type="submit" disabled={busy} data-testid="verify-code">
          {busy ? t('code.checking') : t('code.submit')}
        </button>
      </form>
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
