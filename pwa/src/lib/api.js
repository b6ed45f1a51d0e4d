// The one way to talk to /api/v1, used by the pages and by the service worker (no window, no DOM here).
// Same-origin cookies always; every unsafe method carries X-CSRF-Token, refetched once on 403 csrf_failed.

export const API = '/api/v1';

let csrfToken = null;
let sessionPromise = null;

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || (status === 0 ? 'network' : 'http_' + status);
    this.messageVi = err.message || '';
    this.messageEn = err.message_en || '';
    this.fields = err.fields || {};
    this.retryAfter = retryAfter;
  }
  // A request that never reached the server (offline, DNS, reset): worth retrying later as is.
  get network() {
    return this.status === 0;
  }
}

export const isNetworkError = (e) => e instanceof ApiError && e.network;

/** GET /auth/session; remembers the CSRF token. Concurrent callers share one request. */
export function fetchSession() {
  if (!sessionPromise) {
    sessionPromise = request('GET', '/auth/session')
      .then((s) => {
        csrfToken = s.csrf_token || null;
        return s;
      })
      .finally(() => {
        sessionPromise = null;
      });
  }
  return sessionPromise;
}

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export async function csrfHeader() {
  if (!csrfToken) await fetchSession();
  return { 'X-CSRF-Token': csrfToken || '' };
}

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

async function parseBody(res) {
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) {
    try {
      return await res.json();
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * request('POST', '/dossiers', { json: {...}, idempotencyKey, form: FormData, signal, cache })
 * Resolves to the parsed JSON (null for 204); rejects with ApiError (status 0 = network).
 */
export async function request(method, path, opts = {}) {
  const { json, form, idempotencyKey, signal, cache } = opts;
  const attempt = async (retried) => {
    const headers = { Accept: 'application/json' };
    if (UNSAFE.has(method)) Object.assign(headers, await csrfHeader());
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    let body;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    }
    let res;
    try {
      const init = { method, headers, body, credentials: 'same-origin', signal };
      if (cache) init.cache = cache; // e.g. 'no-store' for a status that is being watched
      res = await fetch(API + path, init);
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new ApiError(0, null);
    }
    const data = await parseBody(res);
    if (res.ok) return data;
    const error = new ApiError(res.status, data, Number(res.headers.get('Retry-After')) || undefined);
    if (res.status === 403 && error.code === 'csrf_failed' && !retried) {
      csrfToken = null;
      await fetchSession();
      return attempt(true);
    }
    throw error;
  };
  return attempt(false);
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, json, opts = {}) => request('POST', path, { ...opts, json });
export const patch = (path, json, opts = {}) => request('PATCH', path, { ...opts, json });
export const put = (path, json, opts = {}) => request('PUT', path, { ...opts, json });
export const del = (path, opts) => request('DELETE', path, opts);

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, v);
  const out = s.toString();
  return out ? '?' + out : '';
}

/** Random UUID v4 for Idempotency-Key and local ids (crypto.randomUUID needs a secure context). */
export function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
