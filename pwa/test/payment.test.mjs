// Paying on-line: one Idempotency-Key per attempt (kept across network retries), 409 already_paid, the gateway
// address, the polling schedule of /thanh-toan/<id>, the answer's shape, the words and the caching rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../src/lib/api.js';
import { DICTIONARIES } from '../src/lib/i18n.js';
import { FINAL_STATUSES, PAYMENT_CHIP, PAYMENT_STATUSES, POLL, canRetry, isFinal, keyKeeper, pollDelay, readPayment, safeRedirect, startPayment } from '../src/lib/payment.js';
import { NAV_DENYLIST, NEVER_CACHE, mayCache } from '../src/lib/sw-rules.js';
import '../src/payment/text.js';

const BASE = 'https://dichvucong.dongnai.gov.vn/ho-so/d1';
const network = () => new ApiError(0, null);
const answer = (status, code) => new ApiError(status, { error: { code, message: 'x' } });
const noWait = async () => {};

test('startPayment posts {purpose, gateway: vnpay} with the key and returns the gateway address', async () => {
  const calls = [];
  const send = async (path, body, opts) => {
    calls.push({ path, body, opts });
    return { payment: { id: 'p1', status: 'pending' }, redirect_url: 'http://127.0.0.1:9999/paymentv2/vpcpay.html?vnp_TxnRef=AB' };
  };
  const r = await startPayment('d/1', 'fee', 'k-1', { send, base: BASE });
  assert.deepEqual(calls, [{ path: '/dossiers/d%2F1/payments', body: { purpose: 'fee', gateway: 'vnpay' }, opts: { idempotencyKey: 'k-1' } }]);
  assert.equal(r.redirect, 'http://127.0.0.1:9999/paymentv2/vpcpay.html?vnp_TxnRef=AB');
  assert.equal(r.payment.id, 'p1');
});

test('a request that never reached the server is sent again with the same key', async () => {
  const keys = [];
  let n = 0;
  const send = async (_p, _b, opts) => {
    keys.push(opts.idempotencyKey);
    if (n++ === 0) throw network();
    return { payment: { id: 'p1' }, redirect_url: 'https://sandbox.vnpayment.vn/pay?x=1' };
  };
  const r = await startPayment('d1', 'obligation', 'same', { send, wait: noWait, base: BASE });
  assert.deepEqual(keys, ['same', 'same']);
  assert.equal(r.redirect, 'https://sandbox.vnpayment.vn/pay?x=1');
  // still offline after the retry: the error goes to the page (which keeps the key for "Thử lại")
  await assert.rejects(startPayment('d1', 'fee', 'k', { send: async () => { throw network(); }, wait: noWait, base: BASE }), (e) => e.network);
});

test('409 already_paid is not an error: the page reloads the dossier; other answers are not retried', async () => {
  let n = 0;
  assert.deepEqual(await startPayment('d1', 'fee', 'k', { send: async () => { n++; throw answer(409, 'already_paid'); }, base: BASE }), { alreadyPaid: true });
  assert.equal(n, 1);
  n = 0;
  await assert.rejects(startPayment('d1', 'fee', 'k', { send: async () => { n++; throw answer(422, 'nothing_due'); }, wait: noWait, base: BASE }), (e) => e.code === 'nothing_due');
  assert.equal(n, 1);
});

test('only an http(s) gateway address is followed', async () => {
  assert.equal(safeRedirect('javascript:alert(1)', BASE), null);
  assert.equal(safeRedirect('data:text/html,x', BASE), null);
  assert.equal(safeRedirect('', BASE), 'https://dichvucong.dongnai.gov.vn/ho-so/d1');
  assert.equal(safeRedirect('/pay', BASE), 'https://dichvucong.dongnai.gov.vn/pay');
  await assert.rejects(startPayment('d1', 'fee', 'k', { send: async () => ({ redirect_url: 'javascript:alert(1)' }), base: BASE }), (e) => e.code === 'no_redirect');
  await assert.rejects(startPayment('d1', 'fee', 'k', { send: async () => ({}), base: 'not a url' }), (e) => e.code === 'no_redirect');
});

test('one key per attempt: kept after a network failure, renewed after any answer', () => {
  let n = 0;
  const k = keyKeeper(() => `key-${++n}`);
  assert.equal(k.get(), 'key-1');
  k.settle(network());
  assert.equal(k.get(), 'key-1');
  k.settle(answer(500, 'internal'));
  assert.equal(k.get(), 'key-2');
  k.settle(null); // success
  assert.equal(k.get(), 'key-3');
  assert.match(keyKeeper().get(), /^[0-9a-f-]{36}$/);
});

test('polling: every 2 s for 30 s, then every 5 s, and no more after 3 minutes', () => {
  assert.equal(pollDelay(0), 2000);
  assert.equal(pollDelay(29_999), 2000);
  assert.equal(pollDelay(30_000), 5000);
  assert.equal(pollDelay(178_000), 2000); // the last question lands on the 3-minute mark
  assert.equal(pollDelay(180_000), null);
  assert.equal(pollDelay(-5), 2000);
  // a whole run, with requests taking no time
  let at = 0;
  const asks = [0];
  for (let d = pollDelay(at); d !== null; d = pollDelay(at)) asks.push((at += d));
  assert.equal(asks.filter((x) => x <= 30_000).length, 16);
  assert.equal(asks.at(-1), POLL.stopAfter);
  assert.ok(asks.length < 50);
});

test('final statuses stop the polling; failed and expired can be paid again', () => {
  assert.deepEqual(FINAL_STATUSES, ['paid', 'failed', 'expired', 'refunded']);
  for (const s of ['pending', 'confirming', 'weird']) assert.equal(isFinal(s), false, s);
  assert.equal(canRetry('failed'), true);
  assert.equal(canRetry('expired'), true);
  assert.equal(canRetry('paid'), false);
  assert.equal(canRetry('refunded'), false);
});

test('GET /payments/<id> may answer the payment or {payment, dossier}', () => {
  const p = { id: 'p1', status: 'paid', dossier_id: 'd1', dossier_code: 'H19.1-1' };
  assert.deepEqual(readPayment(p), { payment: p, dossier: { id: 'd1', code: 'H19.1-1' } });
  assert.deepEqual(readPayment({ payment: { id: 'p1' }, dossier: { id: 'd2', code: 'C' } }).dossier, { id: 'd2', code: 'C' });
  assert.deepEqual(readPayment({ id: 'p1', dossier: { id: 'd3' } }).dossier, { id: 'd3', code: null });
  assert.deepEqual(readPayment(null), { payment: null, dossier: { id: null, code: null } });
});

test('every status has a chip colour and words in both languages; "Đã thanh toán" only for paid', () => {
  const labels = { pending: 'Chờ thanh toán', confirming: 'Đang xác nhận', paid: 'Đã thanh toán', failed: 'Thất bại', expired: 'Hết hạn', refunded: 'Đã hoàn tiền' };
  for (const s of PAYMENT_STATUSES) {
    assert.ok(PAYMENT_CHIP[s], s);
    assert.equal(DICTIONARIES.vi[`pay.status.${s}`], labels[s]);
    assert.ok(DICTIONARIES.en[`pay.status.${s}`], s);
  }
  const paidWords = Object.entries(DICTIONARIES.vi).filter(([, v]) => v === 'Đã thanh toán').map(([k]) => k).sort();
  assert.deepEqual(paidWords, ['pay.status.paid', 'pp.paid']);
  assert.equal(DICTIONARIES.vi['pay.button'], 'Thanh toán trực tuyến');
  assert.equal(DICTIONARIES.vi['pay.retry'], 'Thử thanh toán lại');
  assert.equal(DICTIONARIES.vi['pay.receipt'], 'Tải biên lai điện tử (PDF)');
  assert.equal(
    DICTIONARIES.vi['pp.still_waiting'],
    'Chúng tôi vẫn đang chờ xác nhận từ ngân hàng; bạn có thể đóng trang này, kết quả sẽ được cập nhật và thông báo cho bạn',
  );
});

test('payments are never cached; /thanh-toan/<id> opens from the shell, the gateway return reaches the server', () => {
  for (const p of ['/api/v1/payments', '/api/v1/payments/p1', '/api/v1/payments/vnpay/return', '/api/v1/payments/vnpay/ipn', '/api/v1/dossiers/d1/payments', '/api/v1/payments/p1/receipt.pdf']) {
    assert.ok(NEVER_CACHE.test(p), p);
    assert.equal(mayCache(p), false, p);
  }
  const shell = (path) => !NAV_DENYLIST.some((re) => re.test(path));
  assert.equal(shell('/thanh-toan/abc123'), true);
  assert.equal(shell('/api/v1/payments/vnpay/return'), false);
  assert.equal(mayCache('/api/v1/procedures'), true);
});

test('the dossier of a payment is remembered on this phone (latest 20), else looked up among my dossiers', async () => {
  const { rememberPayment, recallPayment, findPaymentDossier } = await import('../src/lib/payment.js');
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  rememberPayment('p1', { id: 'd1', code: 'H19.1' }, storage);
  rememberPayment('p2', { id: 'd2' }, storage);
  assert.deepEqual(recallPayment('p1', storage), { id: 'd1', code: 'H19.1' });
  assert.deepEqual(recallPayment('p2', storage), { id: 'd2', code: null });
  assert.equal(recallPayment('nope', storage), null);
  for (let i = 0; i < 30; i++) rememberPayment(`x${i}`, { id: `d${i}` }, storage);
  assert.equal(JSON.parse(store.get('motcua.payments')).length, 20);
  assert.equal(recallPayment('p1', storage), null);
  store.set('motcua.payments', '{broken');
  assert.equal(recallPayment('p1', storage), null);
  rememberPayment('p3', { id: 'd3' }, null); // no storage: nothing happens

  const asked = [];
  const get = async (path) => {
    asked.push(path);
    if (path === '/dossiers') return { items: [{ id: 'a', code: 'A' }, { id: 'draft', code: null }, { id: 'b', code: 'B' }] };
    if (path === '/dossiers/a/payments') throw new ApiError(500, null);
    if (path === '/dossiers/b/payments') return { items: [{ id: 'p9' }] };
    return { items: [] };
  };
  assert.deepEqual(await findPaymentDossier('p9', get), { id: 'b', code: 'B' });
  assert.deepEqual(asked, ['/dossiers', '/dossiers/a/payments', '/dossiers/b/payments']);
  assert.equal(await findPaymentDossier('zzz', get), null);
});
