// Registers /sw.js and drives the "new version" prompt (registerType: prompt): a waiting worker is only
// activated when the citizen taps "Tải lại", so a form being filled is never reloaded under them.
import { navigate } from '../lib/router.js';
import { setState } from '../lib/store.js';
import { handleOutboxEvent } from './drafts.js';

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  let accepted = false;
  const offer = (worker) =>
    setState({
      updateReady: () => {
        accepted = true;
        worker.postMessage({ type: 'SKIP_WAITING' });
      },
    });

  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (accepted) window.location.reload();
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'outbox') handleOutboxEvent(event.data.event);
    // a push arrived or was read from its notification: the bell and an open /thong-bao reload
    if (event.data && event.data.type === 'notifications') window.dispatchEvent(new CustomEvent('motcua:notifications'));
    // a tapped notification: route in the open window (no reload), and tell the worker it was done
    if (event.data && event.data.type === 'navigate' && typeof event.data.url === 'string' && /^\/(?!\/)/.test(event.data.url)) {
      navigate(event.data.url);
      if (event.ports && event.ports[0]) event.ports[0].postMessage('ok');
    }
  });

  navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then((reg) => {
      if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const worker = reg.installing;
        if (!worker) return;
        worker.addEventListener('statechange', () => {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
        });
      });
      // look for a new version whenever the app comes back to the screen
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') reg.update().catch(() => {});
      });
    })
    .catch(() => {
      /* no service worker (private mode, old browser): the app still works online */
    });
}
