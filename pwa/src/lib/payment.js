// Paying a fee online (VNPay): starting a payment, how a status reads, how often the return page asks.
// No DOM here (shared with the tests).
//   POST /dossiers/<id>/payments {purpose, gateway: "vnpay"} + Idempotency-Key → 201/200 {payment, redirect_url}
//                                                                              409 already_paid
//   GET  /dossiers/<id>/payments → {items: [Payment]}      GET /payments/<id> → Payment (or {payment, dossier})
// Payment = {id, purpose, amount_vnd, amount_label_vi, status, status_label_vi, gateway, txn_ref, created_at,
//            paid_at, receipt_url}. Only the server's `paid` is a payment: coming back from the gateway is not.
import { isNetworkError, post, uuid } from './api.js';

export const PAYMENT_STATUSES = ['pending', 'confirming', 'paid', 'failed', 'expired', 'refunded'];
// The page stops asking once one of these comes back.
export const FINAL_STATUSES = ['paid', 'failed', 'expired', 'refunded'];
export const isFinal = (status) => FINAL_STATUSES.includes(status);
// failed / expired can be tried again with a new payment
export const canRetry = (status) => status === 'failed' || status === 'expired';

// Chip colours (the chip always carries its words too).
export const PAYMENT_CHIP = {
  pending: 'yellow',
  confirming: 'blue',
  paid: 'green',
  failed: 'red',
  expired: 'grey',
  refunded: 'purple',
};

// Every 2 s, every 5 s after 30 s, and no more after 3 minutes (the result still comes by notification).
export const POLL = { fast: 2000, slow: 5000, slowAfter: 30_000, stopAfter: 180_000 };

/** Milliseconds until the next question, `elapsed` ms after the page started asking; null = stop. */
export function pollDelay(elapsed) {
  if (!(elapsed >= 0)) elapsed = 0;
  if (elapsed >= POLL.stopAfter) return null;
  const delay = elapsed < POLL.slowAfter ? POLL.fast : POLL.slow;
  // the last question is asked at the 3-minute mark, not after it
  return Math.min(delay, POLL.stopAfter - elapsed);
}

/** GET /payments/<id> may answer the Payment itself or {payment, dossier}: → {payment, dossier: {id, code}}. */
export function readPayment(answer) {
  const payment = (answer && answer.payment) || answer || null;
  const d = (answer && answer.dossier) || (payment && payment.dossier) || {};
  const dossier = {
    id: d.id || (payment && payment.dossier_id) || null,
    code: d.code || (payment && payment.dossier_code) || null,
  };
  return { payment, dossier };
}

/** Where the gateway lives: only an absolute http(s) address is followed. */
export function safeRedirect(url, base) {
  try {
    const u = new URL(url, base);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * POST /dossiers/<id>/payments with `key` as Idempotency-Key; a request that never reached the server is
 * sent again with the same key (at most `retries` more times), so a lost answer never makes a second payment.
 * → {redirect, payment} or {alreadyPaid: true}; rejects with the ApiError otherwise.
 */
export async function startPayment(dossierId, purpose, key, { send = post, retries = 1, wait = sleep, base } = {}) {
  const path = `/dossiers/${encodeURIComponent(dossierId)}/payments`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const r = await send(path, { purpose, gateway: 'vnpay' }, { idempotencyKey: key });
      const redirect = safeRedirect(r && r.redirect_url, base || (typeof location !== 'undefined' ? location.href : undefined));
      if (!redirect) throw Object.assign(new Error('no redirect_url'), { code: 'no_redirect' });
      return { redirect, payment: r.payment || null };
    } catch (e) {
      if (e && e.code === 'already_paid') return { alreadyPaid: true };
      if (isNetworkError(e) && attempt < retries) {
        await wait(800 * (attempt + 1));
        continue;
      }
      throw e;
    }
  }
}

/**
 * One key per tap-attempt: kept while the last try never reached the server (the citizen's "Thử lại" then
 * repeats the same request), renewed once the server has answered anything.
 */
export function keyKeeper(make = uuid) {
  let key = null;
  return {
    get() {
      if (!key) key = make();
      return key;
    },
    settle(error) {
      if (!isNetworkError(error)) key = null;
    },
  };
}

// Which dossier a payment belongs to, remembered on this phone when the citizen taps "Thanh toán trực tuyến":
// the return page needs the dossier (its code, "Thử thanh toán lại") even when the payment answer does not say.
const MEMORY_KEY = 'motcua.payments';
const MEMORY_MAX = 20;

function readMemory(storage) {
  try {
    const v = JSON.parse(storage.getItem(MEMORY_KEY) || '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

const defaultStorage = () => (typeof localStorage !== 'undefined' ? localStorage : null);

export function rememberPayment(paymentId, dossier, storage = defaultStorage()) {
  if (!storage || !paymentId || !dossier || !dossier.id) return;
  const list = readMemory(storage).filter((x) => x.payment_id !== paymentId);
  list.unshift({ payment_id: paymentId, dossier_id: dossier.id, code: dossier.code || null });
  try {
    storage.setItem(MEMORY_KEY, JSON.stringify(list.slice(0, MEMORY_MAX)));
  } catch {
    /* storage full or blocked: the page falls back to looking the payment up */
  }
}

/** → {id, code} or null */
export function recallPayment(paymentId, storage = defaultStorage()) {
  if (!storage) return null;
  const hit = readMemory(storage).find((x) => x.payment_id === paymentId);
  return hit ? { id: hit.dossier_id, code: hit.code } : null;
}

/**
 * Last resort (another phone, storage cleared): look through my dossiers' payments, newest dossiers first.
 * `get` is the API reader; at most `limit` dossiers are asked. → {id, code} or null.
 */
export async function findPaymentDossier(paymentId, get, { limit = 15 } = {}) {
  const mine = await get('/dossiers');
  const items = ((mine && mine.items) || []).filter((d) => d.code).slice(0, limit);
  for (const d of items) {
    try {
      const r = await get(`/dossiers/${encodeURIComponent(d.id)}/payments`);
      if (((r && r.items) || []).some((p) => p.id === paymentId)) return { id: d.id, code: d.code };
    } catch {
      /* try the next one */
    }
  }
  return null;
}
