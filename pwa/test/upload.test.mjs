// Attaching a file: through the API (embedded server), or straight to storage when GET /config says
// direct_uploads (AWS): form → multipart POST to storage (fields first, the file last, with progress) → complete.
// A fake fetch stands for the API and a fake XMLHttpRequest for the browser's upload.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, setCsrfToken } from '../src/lib/api.js';
import { uploadAttachment } from '../src/lib/upload.js';

const STORAGE = 'https://motcua-dongnai-production-uploads.s3.ap-southeast-1.amazonaws.com/';
let xhrs;
let storage; // (xhr) => { status, text }
let api; // (method, path, init) => { status, body }
let calls;

class FakeXhr {
  constructor() {
    this.headers = {};
    this.upload = {};
    xhrs.push(this);
  }
  open(method, url) {
    Object.assign(this, { method, url });
  }
  setRequestHeader(name, value) {
    this.headers[name] = value;
  }
  getResponseHeader() {
    return null;
  }
  abort() {
    this.aborted = true;
  }
  send(body) {
    this.body = body;
    setTimeout(() => {
      const total = 1000;
      for (const loaded of [250, 1000]) this.upload.onprogress?.({ lengthComputable: true, loaded, total });
      const { status, text } = storage(this);
      Object.assign(this, { status, responseText: text });
      this.onload();
    }, 0);
  }
}

beforeEach(() => {
  xhrs = [];
  calls = [];
  globalThis.XMLHttpRequest = FakeXhr;
  globalThis.fetch = async (url, init) => {
    const path = url.replace(/^\/api\/v1/, '');
    calls.push({ method: init.method, path, headers: init.headers, json: init.body && typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
    const { status, body } = api(init.method, path, init);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  setCsrfToken('csrf-1');
});

const FORM = (n = 1) => ({
  url: STORAGE,
  fields: { key: `incoming/dossiers/d1/giay_chung_sinh/a${n}-mac`, 'Content-Type': 'image/jpeg', policy: `p${n}`, 'x-amz-signature': `s${n}` },
  key: `incoming/dossiers/d1/giay_chung_sinh/a${n}-mac`,
  expires_at: '2026-11-26T02:10:00Z',
});
const ATTACHMENT = { id: 'a1', document_id: 'giay_chung_sinh', filename: 'ảnh.jpg', content_type: 'image/jpeg', size: 4, created_at: '2026-11-26T02:00:00Z' };
const blob = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' });
const file = { filename: 'ảnh.jpg', documentId: 'giay_chung_sinh', key: 'idem-0001' };

test('direct: asks for a form, posts fields then the file to storage with progress, then completes', async () => {
  api = (method, path) => (path.endsWith('/upload-form') ? { status: 201, body: FORM() } : { status: 201, body: ATTACHMENT });
  storage = () => ({ status: 201, text: '<PostResponse/>' });
  const progress = [];
  const res = await uploadAttachment('d/1', { ...file, blob: blob(), direct: true }, (p) => progress.push(p));
  assert.deepEqual(res, ATTACHMENT);
  assert.deepEqual(calls.map((c) => [c.method, c.path]), [['POST', '/dossiers/d%2F1/attachments/upload-form'], ['POST', '/dossiers/d%2F1/attachments/complete']]);
  assert.deepEqual(calls[0].json, { document_id: 'giay_chung_sinh', filename: 'ảnh.jpg', content_type: 'image/jpeg', size: 4 });
  assert.equal(calls[0].headers['Idempotency-Key'], 'idem-0001');
  assert.equal(calls[0].headers['X-CSRF-Token'], 'csrf-1');
  assert.deepEqual(calls[1].json, { key: FORM().key });
  const [xhr] = xhrs;
  assert.equal(xhr.url, STORAGE);
  assert.deepEqual(xhr.headers, {}); // another origin: no CSRF token, no API headers
  const entries = [...xhr.body.entries()];
  assert.deepEqual(entries.map(([name]) => name), ['key', 'Content-Type', 'policy', 'x-amz-signature', 'file']);
  assert.equal(entries[4][1].name, 'ảnh.jpg');
  assert.equal(entries[4][1].size, 4);
  assert.deepEqual(progress, [0.25, 1]);
});

test('without direct uploads the file goes to the API as before', async () => {
  api = () => ({ status: 500 });
  storage = (xhr) => ({ status: 201, text: JSON.stringify({ ...ATTACHMENT, via: xhr.url }) });
  const res = await uploadAttachment('d1', { ...file, blob: blob(), direct: false });
  assert.equal(res.via, '/api/v1/dossiers/d1/attachments');
  assert.equal(calls.length, 0);
  assert.equal(xhrs[0].headers['Idempotency-Key'], 'idem-0001');
  assert.equal(xhrs[0].headers['X-CSRF-Token'], 'csrf-1');
  assert.deepEqual([...xhrs[0].body.keys()], ['document_id', 'file']);
});

test('an expired form (storage says 403) whose file never arrived: one fresh form, with a new key', async () => {
  let forms = 0;
  api = (method, path) => {
    if (path.endsWith('/upload-form')) return { status: 201, body: FORM(++forms) };
    if (calls.filter((c) => c.path.endsWith('/complete')).length === 1) return { status: 409, body: { error: { code: 'upload_missing', message: 'Chưa nhận được tệp tải lên; vui lòng gửi lại tệp.' } } };
    return { status: 201, body: ATTACHMENT };
  };
  storage = (xhr) => (xhr.body.get('policy') === 'p1' ? { status: 403, text: '<Error><Code>AccessDenied</Code></Error>' } : { status: 204, text: '' });
  const res = await uploadAttachment('d1', { ...file, blob: blob(), direct: true });
  assert.deepEqual(res, ATTACHMENT);
  const forms_ = calls.filter((c) => c.path.endsWith('/upload-form'));
  assert.equal(forms_.length, 2);
  assert.equal(forms_[0].headers['Idempotency-Key'], 'idem-0001');
  assert.notEqual(forms_[1].headers['Idempotency-Key'], 'idem-0001');
  assert.deepEqual(calls.filter((c) => c.path.endsWith('/complete')).map((c) => c.json.key), [FORM(1).key, FORM(2).key]);
});

test('an expired form whose file was attached on an earlier attempt: the same attachment, no second upload', async () => {
  api = (method, path) => (path.endsWith('/upload-form') ? { status: 201, body: FORM() } : { status: 201, body: ATTACHMENT });
  storage = () => ({ status: 403, text: '' });
  const res = await uploadAttachment('d1', { ...file, blob: blob(), direct: true });
  assert.deepEqual(res, ATTACHMENT);
  assert.equal(xhrs.length, 1);
  assert.equal(calls.filter((c) => c.path.endsWith('/upload-form')).length, 1);
});

test('a refused file: the Vietnamese reason reaches the page; a lost connection reads as network', async () => {
  api = (method, path) => (path.endsWith('/upload-form')
    ? { status: 201, body: FORM() }
    : { status: 422, body: { error: { code: 'unsafe_pdf', message: 'Tệp PDF chứa mã lệnh hoặc tệp đính kèm không được phép.', message_en: 'The PDF contains scripts' } } });
  storage = () => ({ status: 201, text: '' });
  await assert.rejects(uploadAttachment('d1', { ...file, blob: blob(), direct: true }), (e) => e instanceof ApiError && e.status === 422 && e.code === 'unsafe_pdf' && e.messageVi.startsWith('Tệp PDF'));
  storage = () => {
    throw new Error('unreachable');
  };
  const realSend = FakeXhr.prototype.send;
  FakeXhr.prototype.send = function send() {
    setTimeout(() => this.onerror(), 0);
  };
  try {
    await assert.rejects(uploadAttachment('d1', { ...file, blob: blob(), direct: true }), (e) => e instanceof ApiError && e.network);
  } finally {
    FakeXhr.prototype.send = realSend;
  }
});
