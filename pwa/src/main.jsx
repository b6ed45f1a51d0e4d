// Start-up: render, learn who is signed in, register the service worker, send anything left in the outbox.
import { render } from 'preact';
import './styles.css';
import { App } from './app.jsx';
import { fetchSession, isNetworkError } from './lib/api.js';
import { cachedGet } from './lib/data.js';
import { t, tx } from './lib/i18n.js';
import { idbGet } from './lib/idb.js';
import { interceptLinks } from './lib/router.js';
import { isOfficial, setState, state, watch } from './lib/store.js';
import { refreshUnread, syncPush } from './lib/push.js';
import { flushNow, onOutboxEvent, resumeAll, saveAllNow } from './offline/drafts.js';
import { pruneDrafts } from './offline/draft-records.js';
import { registerServiceWorker } from './offline/register-sw.js';

document.documentElement.lang = state.lang;
const root = document.getElementById('app');
interceptLinks(document.body);
render(<App />, root);

fetchSession()
  .then((s) => setState({ user: s.user || null }))
  .catch((e) => {
    // offline: keep the remembered user so drafts can still be filled; otherwise treat as signed out
    if (!isNetworkError(e)) setState({ user: null });
  })
  // a citizen's dossiers queued on this phone wait for the citizen: an official's session cannot send them
  .then(() => (isOfficial(state.user) ? null : flushNow()));

cachedGet('/config')
  .then((config) => setState({ config: { ...state.config, ...config } }))
  .catch(() => {});

window.addEventListener('online', () => {
  setState({ online: true });
  if (!isOfficial(state.user)) resumeAll();
});
window.addEventListener('offline', () => setState({ online: false }));
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') saveAllNow();
  else refreshUnread();
});

// Signed in (app open, sign-in, another account): re-send this phone's push subscription (endpoints rotate)
// and count the unread notifications for the bell. A push arriving while the app is open recounts.
let seenUser;
watch(() => {
  if (state.user === undefined) return;
  const id = state.user ? String(state.user.id || state.user.phone || '?') : null;
  if (id === seenUser) return;
  seenUser = id;
  refreshUnread();
  if (id) syncPush().catch(() => {});
});
window.addEventListener('motcua:notifications', () => refreshUnread());

onOutboxEvent((event) => {
  const watching = event.foreground || window.location.pathname.startsWith(`/ho-so/${encodeURIComponent(event.id)}`);
  if (event.type === 'sent' && event.dossier && !watching) {
    setState({
      notice: {
        kind: 'success',
        text: t('sent.notice', { code: event.dossier.code }),
        href: `/ho-so/${encodeURIComponent(event.dossier.id)}/xac-nhan`,
        linkText: t('sent.view'),
      },
    });
  }
  if (event.type === 'failed' && !watching) {
    idbGet('drafts', event.id).then((rec) =>
      setState({
        notice: {
          kind: 'error',
          text: t('failed.notice', { name: rec ? tx(rec.procedure) : '' }),
          href: `/ho-so/${encodeURIComponent(event.id)}/kiem-tra`,
          linkText: t('check.title'),
        },
      }),
    );
  }
});

pruneDrafts().catch(() => {});
registerServiceWorker();
