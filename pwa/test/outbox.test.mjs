// The offline queue against a scripted fake API: call order, Idempotency-Keys reused on every retry.
import 'fake-indexeddb/auto';
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { idbAll, idbDelete, idbGet, idbPut } from '../src/lib/idb.js';
import { enqueue, flushOutbox } from '../src/offline/outbox.js';

const procedure = {
  code: '1.001193',
  form: [
    { name: 'applicant_name', type: 'text', required: true, label: 'Họ tên' },
    { name: 'copies', type: 'integer', required: true, label: 'Số bản' },
  ],
  documents: [{ id: 'giay-chung-sinh', required: true }],
};

let calls;
let script; // (call) => Response | 'network' | undefined (undefined = default answer)
let csrf = 't1';

const json = (status, body) => new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

globalThis.fetch = async (url, init = {}) => {
  const call = { method: init.method || 'GET', path: String(url).replace('/api/v1', ''), headers: init.headers || {}, body: init.body };
  calls.push(call);
  const scripted = script(call);
  if (scripted === 'network') throw new TypeError('Failed to fetch');
  if (scripted) return scripted;
  if (call.path === '/auth/session') return json(200, { user: { id: 'u1', phone: '0912345678' }, csrf_token: csrf });
  if (call.method === 'POST' && call.path === '/dossiers') return json(201, { id: 'D1', status: 'draft' });
  if (call.method === 'PATCH') return json(200, { id: 'D1', status: 'draft', problems: {} });
  if (call.path.endsWith('/attachments')) return json(201, { id: 'A1', document_id: call.body.get('document_id') });
  if (call.path.endsWith('/submit')) return json(200, { id: 'D1', code: 'H15-261126-0001', status: 'submitted', due_at: '2026-11-30T10:00:00Z', receipt_url: '/api/v1/dossiers/D1/receipt.pdf' });
  if (call.method === 'GET' && call.path === '/dossiers/D1') return json(200, { id: 'D1', code: 'H15-261126-0001', status: 'submitted' });
  return json(404, { error: { code: 'not_found', message: 'Không tìm thấy.' } });
};

async function queuedDraft(extra = {}) {
  const rec = {
    id: 'local-1',
    serverId: null,
    createKey: 'k-create',
    procedure,
    form: { applicant_name: 'Nguyễn Thị Hoa', copies: '2' },
    receiving_office_id: 'o-tinh',
    competent_unit_id: 'u-tran-bien',
    attachments: [{ id: 'att-1', document_id: 'giay-chung-sinh', filename: 'a.jpg', content_type: 'image/jpeg', size: 3, state: 'pending', key: 'k-att-1', serverId: null }],
    pendingDeletes: [],
    ...extra,
  };
  await idbPut('blobs', new Blob(['abc'], { type: 'image/jpeg' }), 'att-1');
  await enqueue(rec);
  return rec;
}

const unsafe = () => calls.filter((c) => c.method !== 'GET');
const summary = () => unsafe().map((c) => `${c.method} ${c.path} ${c.headers['Idempotency-Key'] || '-'}`);

beforeEach(async () => {
  calls = [];
  script = () => undefined;
  for (const store of ['drafts', 'outbox']) for (const r of await idbAll(store)) await idbDelete(store, r.id);
});

test('a dossier started offline is created, patched, given its files and submitted, in that order', async () => {
  await queuedDraft();
  const { submitKey } = await idbGet('outbox', 'local-1');
  assert.match(submitKey, /^[0-9a-f-]{36}$/);
  const events = [];
  const result = await flushOutbox((e) => events.push(e));
  assert.deepEqual(summary(), [
    'POST /dossiers k-create',
    'PATCH /dossiers/D1 -',
    'POST /dossiers/D1/attachments k-att-1',
    `POST /dossiers/D1/submit ${submitKey}`,
  ]);
  assert.equal(events[0].type, 'sent');
  assert.equal((await idbAll('outbox')).length, 0);
  assert.deepEqual(JSON.parse(unsafe()[1].body), { form: { applicant_name: 'Nguyễn Thị Hoa', copies: 2 }, receiving_office_id: 'o-tinh', competent_unit_id: 'u-tran-bien' });
  assert.ok(unsafe().every((c) => c.headers['X-CSRF-Token'] === 't1'));
  assert.deepEqual(result, { sent: 1, waiting: 0 });
  const rec = await idbGet('drafts', 'local-1');
  assert.equal(rec.submitted.code, 'H15-261126-0001');
  assert.equal(rec.queued, false);
  assert.equal(await idbGet('blobs', 'att-1'), undefined);
});

test('a lost connection keeps the item, and the retry reuses every key without redoing finished steps', async () => {
  await queuedDraft();
  const { submitKey } = await idbGet('outbox', 'local-1');
  script = (c) => (c.path.endsWith('/submit') ? 'network' : undefined);
  assert.deepEqual(await flushOutbox(), { sent: 0, waiting: 1 });
  assert.equal((await idbGet('drafts', 'local-1')).queued, true);
  assert.equal((await idbGet('outbox', 'local-1')).submitKey, submitKey);

  calls = [];
  script = () => undefined;
  assert.deepEqual(await flushOutbox(), { sent: 1, waiting: 0 });
  assert.deepEqual(summary(), ['PATCH /dossiers/D1 -', `POST /dossiers/D1/submit ${submitKey}`]);
});

test('when the create answer is lost the retry sends the same create key', async () => {
  await queuedDraft();
  script = (c) => (c.method === 'POST' && c.path === '/dossiers' ? 'network' : undefined);
  await flushOutbox();
  calls = [];
  script = () => undefined;
  await flushOutbox();
  assert.equal(summary()[0], 'POST /dossiers k-create');
});

test('a submission the server refuses goes back to a draft with the reasons', async () => {
  await queuedDraft();
  script = (c) =>
    c.path.endsWith('/submit') ? json(422, { error: { code: 'validation_failed', message: 'Hồ sơ chưa đủ thông tin.', fields: { 'documents.giay-chung-sinh': 'Thiếu giấy chứng sinh' } } }) : undefined;
  const events = [];
  await flushOutbox((e) => events.push(e));
  assert.equal(events[0].type, 'failed');
  assert.equal((await idbAll('outbox')).length, 0);
  const rec = await idbGet('drafts', 'local-1');
  assert.equal(rec.queued, false);
  assert.equal(rec.sendError.fields['documents.giay-chung-sinh'], 'Thiếu giấy chứng sinh');
});

test('an expired CSRF token is fetched again and the request retried once', async () => {
  await queuedDraft({ serverId: 'D1', attachments: [] });
  let refused = false;
  script = (c) => {
    if (c.method === 'PATCH' && !refused) {
      refused = true;
      csrf = 't2';
      return json(403, { error: { code: 'csrf_failed', message: 'Phiên làm việc đã hết hạn.' } });
    }
    return undefined;
  };
  assert.deepEqual(await flushOutbox(), { sent: 1, waiting: 0 });
  const patches = calls.filter((c) => c.method === 'PATCH');
  assert.deepEqual(patches.map((c) => c.headers['X-CSRF-Token']), ['t1', 't2']);
  csrf = 't1';
});

test('a dossier already submitted (answer lost) replays the submit with its key', async () => {
  await queuedDraft({ serverId: 'D1' });
  const { submitKey } = await idbGet('outbox', 'local-1');
  script = (c) => (c.method === 'PATCH' ? json(409, { error: { code: 'not_a_draft', message: 'Hồ sơ đã nộp.' } }) : undefined);
  assert.deepEqual(await flushOutbox(), { sent: 1, waiting: 0 });
  assert.deepEqual(summary(), ['PATCH /dossiers/D1 -', `POST /dossiers/D1/submit ${submitKey}`]);
});

test('signed out while queued: the item waits for a new session', async () => {
  await queuedDraft();
  script = (c) => (c.method === 'POST' ? json(401, { error: { code: 'unauthenticated', message: 'Vui lòng đăng nhập.' } }) : undefined);
  assert.deepEqual(await flushOutbox(), { sent: 0, waiting: 1 });
  assert.equal((await idbGet('drafts', 'local-1')).sendError.status, 401);
  assert.equal((await idbAll('outbox')).length, 1);
});
