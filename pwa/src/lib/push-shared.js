// Web Push pieces shared by the page, the service worker and the tests (no DOM, no window here).

export const ICON = '/icons/icon-192.png';
export const BADGE = '/icons/badge-72.png';

// Shown when a push cannot be read (not JSON, no title): never a blank or an English notification.
export const GENERIC = {
  title: 'Hồ sơ của bạn có cập nhật mới',
  body: 'Mở Dịch vụ công Đồng Nai để xem chi tiết.',
  url: '/ho-so',
  tag: 'motcua-update',
};

/** "Để sau" keeps the card away this long. */
export const LATER_MS = 30 * 24 * 3600 * 1000;

/** A path on this origin, or null: a push can only open our own pages. */
export function safePath(url, origin) {
  if (typeof url !== 'string' || !url.trim()) return null;
  try {
    const u = new URL(url, origin);
    if (u.origin !== origin || !/^https?:$/.test(u.protocol)) return null;
    return u.pathname + u.search + u.hash;
  } catch {
    return null;
  }
}

const text = (v) => (typeof v === 'string' && v.trim() ? v.trim() : '');

/**
 * The push payload {id, title, body, url, tag, lang, kind} (a JSON string) → showNotification(title, options).
 * The tag (or else the id) makes a second delivery of the same message replace the first one.
 */
export function notificationFromPush(raw, origin) {
  let p = null;
  try {
    p = JSON.parse(raw);
  } catch {
    p = null;
  }
  if (!p || typeof p !== 'object' || Array.isArray(p)) p = {};
  const id = p.id === undefined || p.id === null ? null : String(p.id);
  const title = text(p.title);
  const generic = !title;
  const url = safePath(p.url, origin) || GENERIC.url;
  const tag = text(p.tag) || (id ? `motcua-${id}` : GENERIC.tag);
  const lang = generic ? 'vi' : p.lang === 'en' ? 'en' : 'vi';
  return {
    title: generic ? GENERIC.title : title,
    options: {
      body: generic ? GENERIC.body : text(p.body),
      icon: ICON,
      badge: BADGE,
      tag,
      data: { url, id },
      lang,
    },
  };
}

/** base64url VAPID public key → the bytes pushManager.subscribe wants. */
export function decodeKey(base64url) {
  const s = String(base64url || '').replace(/-/g, '+').replace(/_/g, '/');
  const padded = s + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const bytes = (v) => (ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v));

/** Same key bytes? (a subscription made with an old server key must be made again) */
export function sameKey(a, b) {
  if (!a || !b) return false;
  const x = bytes(a);
  const y = bytes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * What this browser can do: 'ok' (Web Push), 'ios-install' (iPhone/iPad Safari outside a home-screen app:
 * push only works once the app is added to the home screen) or 'unsupported'.
 */
export function pushSupport(nav, win) {
  if (!nav || !win) return 'unsupported';
  const ua = nav.userAgent || '';
  const ios = /iPad|iPhone|iPod/.test(ua) || (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1);
  const hasPush = 'PushManager' in win;
  if (ios && (!hasPush || nav.standalone === false)) return 'ios-install';
  if (!('serviceWorker' in nav) || !hasPush || !('Notification' in win)) return 'unsupported';
  return 'ok';
}

/**
 * Which card to show: null (nothing: unsupported, already subscribed, or "Để sau" less than 30 days ago),
 * 'ios' (add to home screen first), 'denied' (how to allow it again in the settings) or 'ask'.
 */
export function cardMode({ support, permission, subscribed, laterAt, now }) {
  if (support === 'unsupported' || subscribed) return null;
  if (laterAt && now - laterAt < LATER_MS && now >= laterAt) return null;
  if (support === 'ios-install') return 'ios';
  if (permission === 'denied') return 'denied';
  return 'ask';
}

/** Unread count for the bell. */
export const unreadCount = (items) => (Array.isArray(items) ? items.filter((x) => x && !x.read).length : 0);
