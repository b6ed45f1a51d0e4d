// "/can-bo" — officials sign in with a passkey; "/can-bo/dang-ky?token=…" — enrol one from a single-use link.
import { useState } from 'preact/hooks';
import { get, post, setCsrfToken } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { isOfficial, setState, useAppState } from '../lib/store.js';
import { Loading, Page } from '../components/ui.jsx';
import { safeNext } from '../pages/sign-in.jsx';
import { passkeyErrorText, useChallenge } from './common.jsx';
import { adminOnly } from './logic.js';
import { createPasskey, passkeysSupported, usePasskey } from './webauthn.js';

const WORKLIST = '/can-bo/ho-so';
const ADMIN = '/can-bo/quan-tri';
// an official who is only an administrator has no worklist: the admin page is their home
const home = (user) => (adminOnly(user) ? ADMIN : WORKLIST);

function signedIn(reply, next) {
  setCsrfToken(reply.csrf_token);
  setState({ user: reply.user });
  navigate(next === WORKLIST ? home(reply.user) : next, { replace: true });
}

function Failure({ text }) {
  if (!text) return null;
  return (
    <div class="notice notice--error" role="alert" id="passkey-error">
      <p>{text}</p>
    </div>
  );
}

function Unsupported() {
  return (
    <div class="notice notice--error" role="alert">
      <p>{t('wa.unsupported')}</p>
    </div>
  );
}

function PasskeyIcon() {
  return (
    <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 2a7 7 0 0 0-7 7v2a1 1 0 0 0 2 0V9a5 5 0 0 1 10 0v1a1 1 0 0 0 2 0V9a7 7 0 0 0-7-7zm0 4a3 3 0 0 0-3 3v3.5c0 2.6-.8 4.2-1.7 5.4a1 1 0 1 0 1.6 1.2C10 17.6 11 15.6 11 12.5V9a1 1 0 0 1 2 0v3.5c0 3.4-1 5.8-2.4 7.7a1 1 0 1 0 1.6 1.2c1.7-2.3 2.8-5.1 2.8-8.9V9a3 3 0 0 0-3-3zm5 6a1 1 0 0 0-1 1c0 3-.6 5.4-1.6 7.4a1 1 0 1 0 1.8.9c1.2-2.3 1.8-5 1.8-8.3a1 1 0 0 0-1-1z"
      />
    </svg>
  );
}

function DevLinks() {
  const [items, setItems] = useState(null);
  const [failed, setFailed] = useState(false);
  const show = async () => {
    try {
      const res = await fetch('/dev/enrolment-links', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(String(res.status));
      setItems((await res.json()).items || []);
    } catch {
      setFailed(true);
    }
  };
  return (
    <div class="dev-hint" data-testid="dev-enrolment">
      <p class="heading-s dev-hint__title">{t('off.dev.title')}</p>
      <p>{t('off.dev.body')}</p>
      <p>
        <a href="/dev/enrolment-links" target="_blank" rel="noopener" data-testid="dev-enrolment-link">
          {t('off.dev.link')}
        </a>
      </p>
      {!items && !failed && (
        <button type="button" class="link-button" onClick={show}>
          {t('off.dev.show')}
        </button>
      )}
      {failed && <p>{t('error.load')}</p>}
      {items && (
        <ul class="list list--plain">
          {items.map((x) => (
            <li key={x.official_id}>
              <a class="dev-hint__link" href={x.url}>
                {t('off.dev.enrol_as', { name: x.name })}
              </a>
              {x.memberships && x.memberships.length > 0 && (
                <span class="muted"> · {x.memberships.map((m) => `${m.role_label_vi || m.role}, ${m.unit_name}`).join('; ')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function OfficialLogin({ query }) {
  const s = useAppState();
  const raw = query.get('next');
  const next = raw && raw.startsWith('/can-bo/') ? safeNext(raw) : WORKLIST;
  const supported = passkeysSupported();
  const challenge = useChallenge(() => post('/officials/login/options', {}), [], supported);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');

  const signIn = async () => {
    setBusy(true);
    setFailure('');
    try {
      const { challenge_id, options } = await challenge.take();
      const credential = await usePasskey(options);
      signedIn(await post('/officials/login/verify', { challenge_id, credential }), next);
    } catch (e) {
      setFailure(passkeyErrorText(e, 'wa.login_failed'));
      setBusy(false);
      challenge.refresh();
    }
  };

  return (
    <Page title={t('off.login.title')} caption={t('off.caption')}>
      {isOfficial(s.user) ? (
        <div class="notice notice--success">
          <p>{t('off.login.already', { name: s.user.name || '' })}</p>
          <p>
            <a href={home(s.user)}>{adminOnly(s.user) ? t('off.login.go_admin') : t('off.login.go')}</a>
          </p>
        </div>
      ) : (
        s.user && s.user.phone && (
          <div class="notice notice--info">
            <p>{t('off.login.as_citizen', { phone: s.user.phone })}</p>
          </div>
        )
      )}
      <p class="body">{t('off.login.lead')}</p>
      {!supported && <Unsupported />}
      <Failure text={failure} />
      <button type="button" class="button button--start button--passkey" data-testid="official-login" disabled={!supported || busy} onClick={signIn}>
        <PasskeyIcon />
        {busy ? t('off.login.busy') : t('off.login.button')}
      </button>
      <h2 class="heading-s">{t('off.login.first_time')}</h2>
      <p class="body">{t('off.login.first_time_body')}</p>
      {s.config.dev_mode && <DevLinks />}
    </Page>
  );
}

export function Enrol({ query }) {
  const token = query.get('token') || '';
  const supported = passkeysSupported();
  const challenge = useChallenge(() => post('/officials/enrol/options', { token }), [token], Boolean(token));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const [done, setDone] = useState(false);

  if (!token) {
    return (
      <Page title={t('enrol.title')} caption={t('off.caption')}>
        <div class="notice notice--error" role="alert">
          <p>{t('enrol.no_token')}</p>
        </div>
      </Page>
    );
  }
  if (challenge.loading) return <Loading />;
  const gone = challenge.error && (challenge.error.status === 404 || challenge.error.code === 'enrolment_not_found');
  if (gone && !done) {
    return (
      <Page title={t('enrol.title')} caption={t('off.caption')}>
        <div class="notice notice--error" role="alert" data-testid="enrol-not-found">
          <p>{t('enrol.not_found')}</p>
        </div>
        <p class="body">
          <a href="/can-bo">{t('enrol.to_login')}</a>
        </p>
      </Page>
    );
  }
  const name = challenge.data && challenge.data.official ? challenge.data.official.name : '';

  const enrol = async () => {
    setBusy(true);
    setFailure('');
    try {
      const { challenge_id, options } = await challenge.take();
      const credential = await createPasskey(options);
      const reply = await post('/officials/enrol/verify', { token, challenge_id, credential });
      setDone(true);
      signedIn(reply, WORKLIST);
    } catch (e) {
      setFailure(passkeyErrorText(e));
      setBusy(false);
      challenge.refresh();
    }
  };

  return (
    <Page title={t('enrol.title')} caption={t('off.caption')}>
      {name && <p class="lead" data-testid="enrol-name">{t('enrol.hello', { name })}</p>}
      <p class="body">{t('enrol.lead')}</p>
      <p class="body">{t('enrol.once')}</p>
      {!supported && <Unsupported />}
      <Failure text={failure || (challenge.error && !gone ? passkeyErrorText(challenge.error) : '')} />
      <button type="button" class="button button--start button--passkey" data-testid="enrol-button" disabled={!supported || busy} onClick={enrol}>
        <PasskeyIcon />
        {busy ? t('enrol.busy') : t('enrol.button')}
      </button>
    </Page>
  );
}
