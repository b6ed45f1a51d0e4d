// Service worker (built by vite-plugin-pwa, injectManifest). What it keeps:
//   - the app shell (index.html + hashed JS/CSS + icons), precached and versioned by Workbox;
//   - public catalogue data (procedures, offices, fields, units, config), StaleWhileRevalidate, so the
//     catalogue and the procedures already viewed open offline.
//   - sample dossiers (/api/v1/procedures/<code>/sample-dossier.pdf), the only PDFs it keeps: public, made-up data;
// What it never keeps: anything personal or signed — /api/v1/dossiers*, /auth*, /track*, the officials' work
// API (/work*, /officials*), administration (/admin*: officials, enrolment links, audit trails), verification
// (/verify*), attachments, receipts and every PDF go straight to the network untouched (no route answers
// them: the browser fetches them itself, so upload progress and streaming are as without a worker), and
// pdf.js is not precached (leaders fetch it when they sign).
// It also sends the outbox when Background Sync says the network is back.
// Web Push: shows each push as a notification (the tag makes a repeated delivery replace the first one; a
// payload it cannot read becomes a generic Vietnamese notice pointing to /ho-so), opens or focuses the app on
// a tap, and renews the subscription when the browser rotates it. /push*, /notifications*, /me* are never
// cached (lib/sw-rules.js). Payments (/payments*, the gateway's return and IPN, /dossiers/<id>/payments, receipts)
// are never cached either: a payment's status is only ever what the server says now.
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { StaleWhileRevalidate } from 'workbox-strategies';
import { SYNC_TAG, flushOutbox } from './offline/outbox.js';
import { NAV_DENYLIST, mayCache, mayCacheSample } from './lib/sw-rules.js';
import { del, get, post } from './lib/api.js';
import { decodeKey, notificationFromPush, safePath } from './lib/push-shared.js';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
clientsClaim();

// Client-side routes (citizen pages, /thanh-toan/<id>, /can-bo/…, /xac-minh/…): any navigation that is not the API
// or the dev pages gets the app shell. The gateway's return (/api/v1/payments/vnpay/return) goes to the server.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: NAV_DENYLIST,
  }),
);

// Public, non-personal reads only (lib/sw-rules.js: PUBLIC_API minus NEVER_CACHE, checked on every request).
const PUBLIC_CACHE = 'motcua-public-api';
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && mayCache(url.pathname),
  new StaleWhileRevalidate({
    cacheName: PUBLIC_CACHE,
    plugins: [new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 30 * 24 * 3600 })],
  }),
);

// Sample dossiers (public PDFs of made-up data): kept when a procedure is viewed, so "Tải hồ sơ mẫu" opens
// offline. Served from the cache at once and revalidated (ETag → 304) in the background.
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && mayCacheSample(url.pathname),
  new StaleWhileRevalidate({
    cacheName: 'motcua-samples',
    plugins: [new ExpirationPlugin({ maxEntries: 30, maxAgeSeconds: 30 * 24 * 3600 })],
  }),
);

// The first page load happens before this worker controls it, so its API reads were not cached: fetch the
// catalogue once at install, so that after a single visit the app opens offline with the list of procedures
// and can fill a draft (offices, communes). A failure here never blocks the install.
const WARM = ['/api/v1/procedures', '/api/v1/fields', '/api/v1/offices', '/api/v1/units?level=commune', '/api/v1/config'];
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(PUBLIC_CACHE)
      .then((cache) => Promise.all(WARM.map((url) => cache.add(new Request(url, { credentials: 'same-origin' })).catch(() => {}))))
      .catch(() => {}),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

async function broadcast(message) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const w of windows) w.postMessage(message);
}

self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    flushOutbox((e) => broadcast({ type: 'outbox', event: e })).then((result) => {
      // still waiting (offline, signed out, server busy): a rejection asks the browser to try again later
      if (result.waiting) throw new Error('outbox not empty');
    }),
  );
});

// ---------- Web Push ----------
// Payload (JSON): {id, title, body, url, tag, lang, kind}. Every push shows a notification (userVisibleOnly).
self.addEventListener('push', (event) => {
  const { title, options } = notificationFromPush(event.data ? event.data.text() : '', self.location.origin);
  event.waitUntil(
    self.registration
      .showNotification(title, options)
      .then(() => broadcast({ type: 'notifications', id: options.data.id })) // the bell's count
      .catch(() => {}),
  );
});

/** Ask an open window to route in-app (no reload); true when it answered. */
function askToNavigate(client, path) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), 1000);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve(true);
    };
    try {
      client.postMessage({ type: 'navigate', url: path }, [channel.port2]);
    } catch {
      clearTimeout(timer);
      resolve(false);
    }
  });
}

async function openPath(path) {
  const url = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const client = windows.find((w) => w.focused) || windows.find((w) => w.visibilityState === 'visible') || windows[0];
  if (!client) return self.clients.openWindow(url);
  const focused = (await client.focus().catch(() => null)) || client;
  if (focused.url === url || (await askToNavigate(focused, path))) return focused;
  try {
    return await focused.navigate(url); // a window this worker controls
  } catch {
    return self.clients.openWindow(url);
  }
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const path = safePath(data.url, self.location.origin) || '/ho-so';
  const read = data.id
    ? post('/notifications/read', { ids: [data.id] })
        .then(() => broadcast({ type: 'notifications' }))
        .catch(() => {}) // signed out or offline: it stays unread in the list
    : null;
  event.waitUntil(Promise.all([openPath(path).catch(() => {}), read]));
});

// The push service replaced or dropped the subscription: send the new one, forget the old endpoint.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      let sub = event.newSubscription;
      if (!sub) {
        const { publicKey } = await get('/push/public-key');
        sub = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: decodeKey(publicKey) });
      }
      await post('/push/subscriptions', sub.toJSON());
      const old = event.oldSubscription;
      if (old && old.endpoint && old.endpoint !== sub.endpoint) await del('/push/subscriptions', { json: { endpoint: old.endpoint } });
    })().catch(() => {}), // signed out: the app re-sends it at the next sign-in
  );
});
