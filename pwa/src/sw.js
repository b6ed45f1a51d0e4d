// Service worker (built by vite-plugin-pwa, injectManifest). What it keeps:
//   - the app shell (index.html + hashed JS/CSS + icons), precached and versioned by Workbox;
//   - public catalogue data (procedures, offices, fields, units, config), StaleWhileRevalidate, so the
//     catalogue and the procedures already viewed open offline.
// What it never keeps: anything personal — /api/v1/dossiers*, /auth*, /track*, receipts are not cached.
// It also sends the outbox when Background Sync says the network is back.
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { StaleWhileRevalidate } from 'workbox-strategies';
import { SYNC_TAG, flushOutbox } from './offline/outbox.js';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
clientsClaim();

// Client-side routes: any navigation that is not the API or the dev pages gets the app shell.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/dev\//],
  }),
);

// Public, non-personal reads only. /procedures/<code>/due-date is left out: a due date depends on the moment.
const PUBLIC_API = /^\/api\/v1\/(procedures(\/[^/]+)?|offices|fields|units|config)\/?$/;
const PUBLIC_CACHE = 'motcua-public-api';
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && PUBLIC_API.test(url.pathname),
  new StaleWhileRevalidate({
    cacheName: PUBLIC_CACHE,
    plugins: [new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 30 * 24 * 3600 })],
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
