// "/thong-bao" (a lazy chunk) — the signed-in user's notifications, newest first (tap: open + mark read;
// "Đánh dấu tất cả đã đọc"), then how they are notified: push on this phone (a switch, effective at once:
// subscribe / unsubscribe), SMS and e-mail for the important steps, quiet hours 22:00–07:00.
//   GET /notifications → {items:[{id, at, title, body, url, read}]}   POST /notifications/read {ids} → 204
//   GET /me/preferences → {channels:{push, sms, email}, quiet_hours}   PUT /me/preferences (same body) → 200
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, put } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { errorText, t } from '../lib/i18n.js';
import { currentSubscription, disablePush, enablePush, permission, support } from '../lib/push.js';
import { safePath, unreadCount } from '../lib/push-shared.js';
import { navigate } from '../lib/router.js';
import { isOfficial, setState, state, useAppState } from '../lib/store.js';
import { DeniedHelp, InstallHelp } from '../components/push-card.jsx';
import { LoadError, Loading, Page } from '../components/ui.jsx';
import './text.js';

const NOTIFICATIONS_EVENT = 'motcua:notifications'; // fired by register-sw.js when a push arrives

/** Focus a status message when it appears (screen readers and keyboards land on it). */
function useFocusOn(value) {
  const ref = useRef(null);
  useEffect(() => {
    if (value && ref.current) ref.current.focus();
  }, [value]);
  return ref;
}

function Item({ item, onOpen }) {
  const home = isOfficial(state.user) ? '/can-bo/ho-so' : '/ho-so';
  const href = safePath(item.url, window.location.origin) || home;
  const unread = !item.read;
  return (
    <li class={`note${unread ? ' note--unread' : ''}`} data-testid="notification-item" data-id={item.id} data-read={unread ? 'false' : 'true'}>
      <a class="note__link" href={href} onClick={() => onOpen(item)}>
        {unread && <span class="visually-hidden">{t('nt.unread')}: </span>}
        {item.title}
      </a>
      {item.body && <p class="note__body">{item.body}</p>}
      <p class="note__meta">
        {unread && <strong class="note__unread">{t('nt.unread')}</strong>}
        <time dateTime={item.at}>{formatDateTime(item.at)}</time>
      </p>
    </li>
  );
}

function NotificationList() {
  const [list, setList] = useState({ items: [], loading: true, error: null });
  const [status, setStatus] = useState(null); // { kind, text }
  const statusRef = useFocusOn(status);

  const show = (items) => {
    setList({ items, loading: false, error: null });
    setState({ unread: unreadCount(items) });
  };
  const load = async () => {
    setList((x) => ({ ...x, loading: true, error: null }));
    try {
      const r = await get('/notifications');
      show((r && r.items) || []);
    } catch (error) {
      setList((x) => ({ ...x, loading: false, error }));
    }
  };
  useEffect(() => {
    load();
    window.addEventListener(NOTIFICATIONS_EVENT, load);
    return () => window.removeEventListener(NOTIFICATIONS_EVENT, load);
  }, []);

  const markRead = async (ids) => {
    const before = list.items;
    show(before.map((x) => (ids.includes(x.id) ? { ...x, read: true } : x)));
    try {
      await post('/notifications/read', { ids });
      return true;
    } catch (e) {
      show(before);
      setStatus({ kind: 'error', text: `${t('nt.read_failed')} ${errorText(e)}` });
      return false;
    }
  };
  // the link itself navigates (in-app router); the POST goes on in the background
  const open = (item) => {
    if (!item.read) markRead([item.id]);
  };
  const markAll = async () => {
    const ids = list.items.filter((x) => !x.read).map((x) => x.id);
    if (!ids.length) return;
    setStatus(null);
    if (await markRead(ids)) setStatus({ kind: 'success', text: t('nt.all_read') });
  };

  if (list.loading && !list.items.length) return <Loading />;
  if (list.error && !list.items.length) return <LoadError error={list.error} onRetry={load} />;
  const unread = unreadCount(list.items);
  return (
    <>
      {status && (
        <div class={`notice notice--${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'} tabIndex={-1} ref={statusRef}>
          <p>{status.text}</p>
        </div>
      )}
      {!list.items.length ? (
        <p class="body">{t('nt.empty')}</p>
      ) : (
        <>
          <div class="toolbar">
            <p class="toolbar__text">{unread ? t('nt.unread_count', { n: unread }) : t('nt.none_unread')}</p>
            {unread > 0 && (
              <button type="button" class="button button--secondary button--small" onClick={markAll} data-testid="mark-all-read">
                {t('nt.mark_all')}
              </button>
            )}
          </div>
          <ul class="notes" aria-busy={list.loading ? 'true' : undefined}>
            {list.items.map((x) => (
              <Item item={x} key={x.id} onOpen={open} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** Push on this phone: checked when subscribed here and the push channel is on. Effective at once. */
function PushSwitch({ prefs, onPrefs }) {
  const can = support();
  const [subscribed, setSubscribed] = useState(null); // null while checking
  const [perm, setPerm] = useState(permission());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const errorRef = useFocusOn(error);
  useEffect(() => {
    currentSubscription().then((sub) => setSubscribed(Boolean(sub)), () => setSubscribed(false));
  }, []);
  const on = Boolean(subscribed) && perm === 'granted' && (!prefs || prefs.channels.push !== false);

  const toggle = async (e) => {
    const want = e.currentTarget.checked;
    setBusy(true);
    setError('');
    try {
      let now = false;
      if (want) {
        now = (await enablePush()) === 'granted';
        setPerm(permission());
      } else {
        await disablePush();
      }
      setSubscribed(now);
      if (prefs && (want ? now : true) && prefs.channels.push !== now) {
        onPrefs(await put('/me/preferences', { ...prefs, channels: { ...prefs.channels, push: now } }));
      }
    } catch {
      setError(t('nt.push_failed'));
      setSubscribed(Boolean(await currentSubscription().catch(() => null)));
      setPerm(permission());
    }
    setBusy(false);
  };

  return (
    <section aria-labelledby="push-title">
      <h3 class="prefs__legend" id="push-title">
        {t('nt.push_title')}
      </h3>
      {can === 'ios-install' && (
        <div class="notice notice--info">
          <InstallHelp />
        </div>
      )}
      {can === 'unsupported' && <p class="body">{t('nt.push_unsupported')}</p>}
      {can === 'ok' && perm === 'denied' && (
        <div class="notice notice--info">
          <DeniedHelp />
        </div>
      )}
      {error && (
        <p class="error-message" role="alert" tabIndex={-1} ref={errorRef}>
          {error}
        </p>
      )}
      <div class="switch">
        <input
          class="switch__input"
          type="checkbox"
          role="switch"
          id="pref-push"
          checked={on}
          disabled={busy || subscribed === null || can !== 'ok' || perm === 'denied'}
          aria-describedby="pref-push-hint"
          onChange={toggle}
          data-testid="pref-push"
        />
        <label class="switch__label" for="pref-push">
          {t('nt.push_label')}
        </label>
      </div>
      <p class="hint" id="pref-push-hint">
        <strong>{busy ? t('loading') : on ? t('nt.push_on') : t('nt.push_off')}</strong>.{' '}
        {can === 'ok' && perm !== 'denied' && t('nt.push_hint')}
      </p>
    </section>
  );
}

function Check({ id, testid, label, checked, onChange, hint }) {
  return (
    <div class="checkbox">
      <input class="checkbox__input" type="checkbox" id={id} checked={checked} aria-describedby={hint} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={testid} />
      <label class="checkbox__label" for={id}>
        {label}
      </label>
    </div>
  );
}

// Other fields the server may send (e.g. its own `lang`) are sent back as they came.
const normal = (p) => {
  const c = (p && p.channels) || {};
  return { ...(p || {}), channels: { ...c, push: Boolean(c.push), sms: Boolean(c.sms), email: Boolean(c.email) }, quiet_hours: Boolean(p && p.quiet_hours) };
};

function Preferences() {
  const [saved, setSaved] = useState(null); // the server's
  const [form, setForm] = useState(null); // what the boxes say now
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState(null);
  const statusRef = useFocusOn(status);
  const load = () => {
    setError(null);
    get('/me/preferences').then(
      (p) => {
        setSaved(normal(p));
        setForm(normal(p));
      },
      setError,
    );
  };
  useEffect(load, []);
  const fromServer = (p) => {
    const n = normal(p);
    setSaved(n);
    setForm((f) => (f ? { ...f, channels: { ...f.channels, push: n.channels.push } } : n));
  };

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    const body = { ...saved, channels: { ...saved.channels, sms: form.channels.sms, email: form.channels.email }, quiet_hours: form.quiet_hours };
    try {
      const p = normal(await put('/me/preferences', body));
      setSaved(p);
      setForm(p);
      setStatus({ kind: 'success', text: t('nt.saved') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    }
    setBusy(false);
  };
  const channel = (name) => (v) => setForm((f) => ({ ...f, channels: { ...f.channels, [name]: v } }));

  return (
    <section aria-labelledby="prefs-title">
      <h2 class="heading-m" id="prefs-title">
        {t('nt.prefs_title')}
      </h2>
      <PushSwitch prefs={saved} onPrefs={fromServer} />
      {error && !form && <LoadError error={error} onRetry={load} />}
      {!error && !form && <Loading />}
      {form && (
        <form onSubmit={save} noValidate>
          <fieldset class="fieldset prefs__group" aria-describedby="pref-channels-hint">
            <legend class="prefs__legend">{t('nt.channels')}</legend>
            <p class="hint" id="pref-channels-hint">
              {isOfficial(state.user) ? t('nt.channels_hint_official') : t('nt.channels_hint')}
            </p>
            <Check id="pref-sms" testid="pref-sms" label={t('nt.sms')} checked={form.channels.sms} onChange={channel('sms')} />
            <Check id="pref-email" testid="pref-email" label={t('nt.email')} checked={form.channels.email} onChange={channel('email')} />
          </fieldset>
          <fieldset class="fieldset prefs__group">
            <legend class="prefs__legend">{t('nt.quiet_title')}</legend>
            <p class="hint" id="pref-quiet-hint">
              {t('nt.quiet_hint')}
            </p>
            <Check
              id="pref-quiet"
              testid="pref-quiet"
              label={t('nt.quiet')}
              hint="pref-quiet-hint"
              checked={form.quiet_hours}
              onChange={(v) => setForm((f) => ({ ...f, quiet_hours: v }))}
            />
          </fieldset>
          {status && (
            <div class={`notice notice--${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'} tabIndex={-1} ref={statusRef}>
              <p>{status.text}</p>
            </div>
          )}
          <button type="submit" class="button" disabled={busy} data-testid="pref-save">
            {busy ? t('nt.saving') : t('nt.save')}
          </button>
        </form>
      )}
    </section>
  );
}

export function Notifications() {
  const s = useAppState();
  useEffect(() => {
    if (s.user === null) navigate(`/dang-nhap?next=${encodeURIComponent('/thong-bao')}`, { replace: true });
  }, [s.user]);
  if (!s.user) return <Loading />;
  return (
    <Page title={t('nt.title')}>
      <NotificationList />
      <Preferences />
    </Page>
  );
}
