// Web Push on this device: ask at a meaningful moment (never on load), subscribe, tell the server, re-send the
// subscription when the app opens (endpoints rotate), remove it on sign-out. Also the bell's unread count.
//   GET  /push/public-key → {publicKey}          POST   /push/subscriptions subscription.toJSON() → 201 {id}
//   DELETE /push/subscriptions {endpoint} → 204  GET    /notifications → {items:[{id, at, title, body, url, read}]}
import { del, get, post } from './api.js';
import { cardMode, decodeKey, pushSupport, sameKey, unreadCount } from './push-shared.js';
import { setState, state } from './store.js';

const LATER_KEY = 'motcua.push.later'; // when "Để sau" was tapped (ms)
const ON_KEY = 'motcua.push.on'; // id of the user who turned push on on this device

function readLocal(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function writeLocal(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode: remembered for this visit only */
  }
}

export const support = () => (typeof navigator === 'undefined' ? 'unsupported' : pushSupport(navigator, window));
export const permission = () => (typeof Notification === 'undefined' ? 'default' : Notification.permission);

export function laterAt() {
  const n = Number(readLocal(LATER_KEY));
  return Number.isFinite(n) && n > 0 ? n : 0;
}
export const remindLater = () => writeLocal(LATER_KEY, String(Date.now()));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service worker registration once it is active (null without one: dev server, private mode…). */
async function registration(waitMs = 8000) {
  if (!('serviceWorker' in navigator)) return null;
  const reg = await navigator.serviceWorker.getRegistration('/').catch(() => null);
  if (!reg) return null;
  if (reg.active) return reg;
  return Promise.race([navigator.serviceWorker.ready, sleep(waitMs).then(() => null)]);
}

export async function currentSubscription() {
  if (support() !== 'ok') return null;
  const reg = await registration(0);
  return reg ? reg.pushManager.getSubscription().catch(() => null) : null;
}

/** The card to show now (see cardMode), for the signed-in user. */
export async function pushCardMode() {
  const s = support();
  if (s === 'unsupported') return null;
  const subscribed = s === 'ok' && Boolean(await currentSubscription());
  return cardMode({ support: s, permission: permission(), subscribed, laterAt: laterAt(), now: Date.now() });
}

let keyPromise = null;
/** The server's VAPID key (fetched once; fetched ahead of the tap when the card shows). */
export function publicKey() {
  if (!keyPromise) {
    keyPromise = get('/push/public-key').then((r) => decodeKey(r.publicKey));
    keyPromise.catch(() => {
      keyPromise = null;
    });
  }
  return keyPromise;
}

/** Notification.requestPermission, promise or (old Safari) callback style. Call it straight from a tap. */
export function askPermission() {
  if (typeof Notification === 'undefined') return Promise.resolve('denied');
  if (Notification.permission !== 'default') return Promise.resolve(Notification.permission);
  return new Promise((resolve) => {
    const p = Notification.requestPermission(resolve);
    if (p && p.then) p.then(resolve, () => resolve(Notification.permission));
  });
}

/** Subscribe (again if the server key changed) and send the subscription to the server. */
async function subscribeAndSend() {
  const reg = await registration();
  if (!reg) throw new Error('no service worker');
  const key = await publicKey();
  let sub = await reg.pushManager.getSubscription();
  if (sub && sub.options && sub.options.applicationServerKey && !sameKey(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe().catch(() => {});
    sub = null;
  }
  if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await post('/push/subscriptions', sub.toJSON());
  return sub;
}

/**
 * "Bật thông báo": ask (from the tap), then subscribe and tell the server.
 * Resolves to 'granted' (subscribed), 'denied' or 'default' (the prompt was dismissed); rejects on failure.
 */
export async function enablePush() {
  const answer = await askPermission();
  if (answer !== 'granted') return answer;
  await subscribeAndSend();
  writeLocal(ON_KEY, state.user && state.user.id ? String(state.user.id) : '1');
  writeLocal(LATER_KEY, null);
  return 'granted';
}

/** Forget this device on the server (DELETE, errors ignored: a dead endpoint is pruned by the server), then unsubscribe. */
async function dropSubscription() {
  const sub = await currentSubscription();
  if (!sub) return;
  try {
    await del('/push/subscriptions', { json: { endpoint: sub.endpoint } });
  } catch {
    /* offline or already gone: the push service will answer 410 to the server */
  }
  await sub.unsubscribe().catch(() => {});
}

/** The switch on /thong-bao, off. */
export async function disablePush() {
  writeLocal(ON_KEY, null);
  await dropSubscription();
}

/** Before signing out: the next person on this phone must not get this user's notifications. */
export function pushSignOut() {
  setState({ unread: null });
  // never hold the sign-out for long (offline, slow network)
  return Promise.race([dropSubscription().catch(() => {}), sleep(3000)]);
}

/**
 * On app open / after sign-in: re-send the subscription (endpoints rotate; the server key may have changed);
 * if this user had push on and the subscription is gone (signed out, then in again), make it again —
 * permission is already granted, so nothing is asked.
 */
export async function syncPush() {
  const user = state.user;
  if (!user || support() !== 'ok' || permission() !== 'granted') return;
  const sub = await currentSubscription();
  const mine = readLocal(ON_KEY) === String(user.id || '1');
  if (!sub && !mine) return;
  await subscribeAndSend();
}

let unreadSeq = 0;
/** The bell's number: unread items of GET /notifications (null when signed out or unknown). */
export async function refreshUnread() {
  const n = ++unreadSeq;
  if (!state.user) {
    setState({ unread: null });
    return;
  }
  try {
    const r = await get('/notifications');
    if (n === unreadSeq) setState({ unread: unreadCount(r && r.items) });
  } catch {
    /* keep the last number */
  }
}
