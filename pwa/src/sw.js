// Service worker (built by vite-plugin-pwa, injectManifest). What it keeps:
//   - the app shell (index.html + hashed JS/CSS + icons), precached and versioned by Workbox;
//   - public catalogue data (procedures, offices, fields, units, config), StaleWhileRevalidate, so the
//     catalogue and the procedures already viewed open offline.
// What it never keeps: anything personal or signed — /api/v1/dossiers*, /auth*, /track*, the officials' work
// API (/work*, /officials*), verification (/verify*), attachments, receipts and every PDF go straight to the
// network untouched (no route answers them: the browser fetches them itself, so upload progress and
// streaming are as without a worker), and pdf.js is not precached (leaders fetch it when they sign).
// It also sends the outbox when Background Sync says the network is back.
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { StaleWhileRevalidate } from 'workbox-strategies';
import { SYNC_TAG, flushOutbox } from './offline/outbox.js';
import { NAV_DENYLIST, mayCache } from './lib/sw-rules.js';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
clientsClaim();

// Client-side routes (citizen pages, /can-bo/…, /xac-minh/…): any navigation that is not the API or the dev
// pages gets the app shell.
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
