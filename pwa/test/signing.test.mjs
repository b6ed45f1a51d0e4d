// Passkey JSON conversions (where the browser lacks them), the document hash check, supplement filing,
// and what the service worker may cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64urlToBytes, bytesToBase64url, creationOptions, credentialToJSON, requestOptions, webauthnErrorKind } from '../src/official/webauthn.js';
import { sameHash, sha256Hex } from '../src/official/digest.js';
import { documentFor, uploadedSince } from '../src/lib/supplement.js';
import { mayCache } from '../src/lib/sw-rules.js';

test('base64url both ways, no padding', () => {
  const bytes = new Uint8Array([0, 251, 255, 62, 63, 1]);
  const s = bytesToBase64url(bytes);
  assert.equal(s, 'APv_Pj8B');
  assert.deepEqual([...base64urlToBytes(s)], [...bytes]);
  assert.deepEqual([...base64urlToBytes('YWJj')], [97, 98, 99]);
});

test('options from JSON without the browser helpers', () => {
  const create = creationOptions(
    { rp: { id: 'localhost', name: 'x' }, user: { id: 'YWJj', name: 'a', displayName: 'A' }, challenge: 'AQID', pubKeyCredParams: [{ type: 'public-key', alg: -7 }], excludeCredentials: [{ type: 'public-key', id: 'BAU' }] },
    null,
  );
  assert.deepEqual([...create.challenge], [1, 2, 3]);
  assert.deepEqual([...create.user.id], [97, 98, 99]);
  assert.deepEqual([...create.excludeCredentials[0].id], [4, 5]);
  const get = requestOptions({ challenge: 'AQID', rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: 'BAU' }] }, null);
  assert.deepEqual([...get.allowCredentials[0].id], [4, 5]);
  assert.equal(requestOptions({ challenge: 'AQID' }, null).allowCredentials, undefined);
  // the browser's own parser wins when there is one
  const PKC = { parseRequestOptionsFromJSON: (j) => ({ parsed: j.challenge }) };
  assert.deepEqual(requestOptions({ challenge: 'AQID' }, PKC), { parsed: 'AQID' });
});

test('an assertion to JSON by hand', () => {
  const buf = (...b) => new Uint8Array(b).buffer;
  const cred = {
    id: 'BAU',
    rawId: buf(4, 5),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    getClientExtensionResults: () => ({}),
    response: { clientDataJSON: buf(1), authenticatorData: buf(2), signature: buf(3), userHandle: buf(97, 98, 99) },
  };
  assert.deepEqual(credentialToJSON(cred), {
    id: 'BAU',
    rawId: 'BAU',
    type: 'public-key',
    authenticatorAttachment: 'platform',
    clientExtensionResults: {},
    response: { clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: 'Aw', userHandle: 'YWJj' },
  });
  assert.deepEqual(credentialToJSON({ toJSON: () => ({ native: true }) }), { native: true });
});

test('WebAuthn failures in plain categories; server errors are left to errorText', () => {
  const dom = (name) => Object.assign(new Error(name), { name });
  assert.equal(webauthnErrorKind(dom('NotAllowedError')), 'cancelled');
  assert.equal(webauthnErrorKind(dom('InvalidStateError')), 'exists');
  assert.equal(webauthnErrorKind(dom('SecurityError')), 'insecure');
  assert.equal(webauthnErrorKind(dom('NotSupportedError')), 'unsupported');
  assert.equal(webauthnErrorKind(Object.assign(new Error('x'), { status: 401 })), null);
});

test('the hash of the bytes shown must equal the server’s X-Content-SHA256', async () => {
  const abc = new TextEncoder().encode('abc');
  const h = await sha256Hex(abc);
  assert.equal(h, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.ok(sameHash(h.toUpperCase(), h));
  assert.ok(!sameHash(null, h));
  assert.ok(!sameHash('0'.repeat(64), h));
  assert.ok(!sameHash('abc', 'abc'));
});

test('supplement items are filed under a procedure document', () => {
  const documents = [
    { id: 'to_khai', name: 'Tờ khai đăng ký khai sinh' },
    { id: 'giay_chung_sinh', name: 'Giấy chứng sinh' },
  ];
  assert.equal(documentFor({ name: ' giấy  chứng sinh ' }, documents), 'giay_chung_sinh');
  assert.equal(documentFor({ name: 'x', document_id: 'to_khai' }, documents), 'to_khai');
  assert.equal(documentFor({ name: 'Giấy xác nhận cư trú' }, documents), '');
  assert.equal(documentFor({ name: 'Giấy xác nhận cư trú' }, [documents[0]]), 'to_khai');
  const since = uploadedSince(
    [
      { id: 'old', document_id: 'giay_chung_sinh', created_at: '2026-11-01T00:00:00Z' },
      { id: 'new', document_id: 'giay_chung_sinh', created_at: '2026-11-03T00:00:00Z' },
    ],
    '2026-11-02T00:00:00Z',
    { 'sup-0': 'to_khai', 'sup-1': 'giay_chung_sinh' },
  );
  assert.deepEqual(Object.keys(since), ['sup-1']);
  assert.equal(since['sup-1'][0].id, 'new');
});

test('the service worker caches the public catalogue only', () => {
  for (const ok of ['/api/v1/procedures', '/api/v1/procedures/1.001193', '/api/v1/offices', '/api/v1/units', '/api/v1/config']) assert.ok(mayCache(ok), ok);
  for (const no of [
    '/api/v1/work/dossiers',
    '/api/v1/work/dossiers/x/result-preview.pdf',
    '/api/v1/work/dossiers/x/attachments/y',
    '/api/v1/officials/login/options',
    '/api/v1/admin/officials',
    '/api/v1/admin/officials/chuyen-vien-tran-bien/enrolment',
    '/api/v1/admin/audit',
    '/api/v1/admin/audit/c76435af1246441191b117d7b3b51081',
    '/api/v1/verify',
    '/api/v1/verify/H19.23.01-261126-0001',
    '/api/v1/dossiers/x',
    '/api/v1/auth/session',
    '/api/v1/procedures/x.pdf',
    '/api/v1/procedures/1.001193/due-date',
  ])
    assert.ok(!mayCache(no), no);
});
