// A few lines over IndexedDB, shared by the pages and the service worker.
// Database "motcua" v1:
//   drafts  (keyPath "id")  — dossiers being filled on this device, and the local record of queued ones
//   blobs   (out-of-line key = attachment local id) — files not yet uploaded (already downscaled)
//   outbox  (keyPath "id" = draft id) — submissions waiting for the network, with their Idempotency-Keys

export const DB_NAME = 'motcua';
export const STORES = ['drafts', 'blobs', 'outbox'];
let dbPromise = null;

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('drafts')) db.createObjectStore('drafts', { keyPath: 'id' });
        if (!db.objectStoreNames.contains('blobs')) db.createObjectStore('blobs');
        if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'id' });
      };
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        resolve(db);
      };
      req.onerror = () => {
        dbPromise = null;
        reject(req.error);
      };
    });
  }
  return dbPromise;
}

const done = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

async function store(name, mode) {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function idbGet(name, key) {
  return done((await store(name, 'readonly')).get(key));
}
export async function idbAll(name) {
  return done((await store(name, 'readonly')).getAll());
}
export async function idbPut(name, value, key) {
  return done((await store(name, 'readwrite')).put(value, key));
}
export async function idbDelete(name, key) {
  return done((await store(name, 'readwrite')).delete(key));
}
