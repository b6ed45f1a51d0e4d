// Web Push: what a push shows (shared with the service worker), when the card asks, the VAPID key, caching rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BADGE, GENERIC, ICON, LATER_MS, cardMode, decodeKey, notificationFromPush, pushSupport, safePath, sameKey, unreadCount } from '../src/lib/push-shared.js';
import { mayCache, NEVER_CACHE } from '../src/lib/sw-rules.js';

const ORIGIN = 'https://dichvucong.dongnai.gov.vn';

test('a push payload becomes a notification: tag, icon, badge, data.url + id, lang', () => {
  const raw = JSON.stringify({ id: 'n1', title: 'Hồ sơ đã được tiếp nhận', body: 'Mã hồ sơ H19-1', url: '/ho-so/abc', tag: 'dossier-abc', lang: 'vi', kind: 'received' });
  const { title, options } = notificationFromPush(raw, ORIGIN);
  assert.equal(title, 'Hồ sơ đã được tiếp nhận');
  assert.deepEqual(options, { body: 'Mã hồ sơ H19-1', icon: ICON, badge: BADGE, tag: 'dossier-abc', data: { url: '/ho-so/abc', id: 'n1' }, lang: 'vi' });
  assert.equal(ICON, '/icons/icon-192.png');
  assert.equal(BADGE, '/icons/badge-72.png');
});

test('without a tag the id is the tag (a second delivery replaces the first); English kept', () => {
  const { options } = notificationFromPush(JSON.stringify({ id: 7, title: 'Result ready', url: '/ho-so/x', lang: 'en' }), ORIGIN);
  assert.equal(options.tag, 'motcua-7');
  assert.equal(options.lang, 'en');
  assert.equal(options.data.id, '7');
  assert.equal(options.body, '');
});

test('garbage, empty or title-less payloads show the generic Vietnamese notice pointing to /ho-so', () => {
  for (const raw of ['not json {', '', 'null', '[1,2]', '42', JSON.stringify({ body: 'x' })]) {
    const { title, options } = notificationFromPush(raw, ORIGIN);
    assert.equal(title, GENERIC.title, raw);
    assert.equal(title, 'Hồ sơ của bạn có cập nhật mới');
    assert.equal(options.data.url, '/ho-so');
    assert.equal(options.lang, 'vi');
    assert.equal(options.icon, ICON);
  }
});

test('a push only opens pages of this origin', () => {
  assert.equal(safePath('/ho-so/1?x=1#a', ORIGIN), '/ho-so/1?x=1#a');
  assert.equal(safePath(`${ORIGIN}/thong-bao`, ORIGIN), '/thong-bao');
  for (const bad of ['https://evil.example/ho-so', '//evil.example/x', 'javascript:alert(1)', '', null, 3]) assert.equal(safePath(bad, ORIGIN), null, String(bad));
  const { options } = notificationFromPush(JSON.stringify({ title: 'x', url: 'https://evil.example/' }), ORIGIN);
  assert.equal(options.data.url, '/ho-so');
});

test('the VAPID key: base64url → bytes, and comparing keys', () => {
  const key = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';
  const bytes = decodeKey(key);
  assert.equal(bytes.length, 65);
  assert.equal(bytes[0], 4); // uncompressed P-256 point
  assert.ok(sameKey(bytes, bytes.buffer.slice(0)));
  assert.ok(!sameKey(bytes, decodeKey('AQID')));
  assert.deepEqual([...decodeKey('AQID')], [1, 2, 3]);
});

test('which card: never when subscribed or unsupported; "Để sau" lasts 30 days; iOS and refusal explained', () => {
  const now = Date.UTC(2026, 5, 1);
  const base = { support: 'ok', permission: 'default', subscribed: false, laterAt: 0, now };
  assert.equal(cardMode(base), 'ask');
  assert.equal(cardMode({ ...base, permission: 'granted' }), 'ask'); // another account subscribed before
  assert.equal(cardMode({ ...base, subscribed: true }), null);
  assert.equal(cardMode({ ...base, support: 'unsupported' }), null);
  assert.equal(cardMode({ ...base, support: 'ios-install' }), 'ios');
  assert.equal(cardMode({ ...base, permission: 'denied' }), 'denied');
  assert.equal(cardMode({ ...base, laterAt: now - 29 * 24 * 3600 * 1000 }), null);
  assert.equal(cardMode({ ...base, laterAt: now - LATER_MS - 1 }), 'ask');
});

test('iPhone Safari outside the home screen must install first', () => {
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
  const android = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
  const sw = { serviceWorker: {} };
  assert.equal(pushSupport({ userAgent: iphone, standalone: false, ...sw }, {}), 'ios-install');
  assert.equal(pushSupport({ userAgent: iphone, standalone: false, ...sw }, { PushManager: 1, Notification: 1 }), 'ios-install');
  assert.equal(pushSupport({ userAgent: iphone, standalone: true, ...sw }, { PushManager: 1, Notification: 1 }), 'ok');
  assert.equal(pushSupport({ userAgent: android, ...sw }, { PushManager: 1, Notification: 1 }), 'ok');
  assert.equal(pushSupport({ userAgent: android }, { PushManager: 1, Notification: 1 }), 'unsupported');
  assert.equal(pushSupport({ userAgent: 'x', platform: 'MacIntel', maxTouchPoints: 5, standalone: false, ...sw }, { PushManager: 1, Notification: 1 }), 'ios-install');
});

test('unread count for the bell', () => {
  assert.equal(unreadCount([{ read: false }, { read: true }, { read: false }]), 2);
  assert.equal(unreadCount(undefined), 0);
});

test('push, notifications and /me are never cached by the service worker', () => {
  for (const p of ['/api/v1/push/public-key', '/api/v1/push/subscriptions', '/api/v1/notifications', '/api/v1/notifications/read', '/api/v1/me/preferences', '/api/v1/me']) {
    assert.ok(NEVER_CACHE.test(p), p);
    assert.ok(!mayCache(p), p);
  }
  assert.ok(!NEVER_CACHE.test('/api/v1/procedures'));
});

test('the service worker handles push, notificationclick and pushsubscriptionchange', () => {
  const sw = readFileSync(new URL('../src/sw.js', import.meta.url), 'utf8');
  for (const e of ['push', 'notificationclick', 'pushsubscriptionchange', 'sync', 'install', 'message']) assert.match(sw, new RegExp(`addEventListener\\('${e}'`), e);
});

test('the badge is a 72×72 PNG', () => {
  const png = readFileSync(new URL('../public/icons/badge-72.png', import.meta.url));
  assert.equal(png.readUInt32BE(16), 72);
  assert.equal(png.readUInt32BE(20), 72);
});
