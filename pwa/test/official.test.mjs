// The officials' side without a browser: unit choice, ordering, action bodies, signing ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { badgeOf, buildAction, emptyActionInput, hasRole, mergePage, pickUnit, signingIds, sortByDue, unitsOf } from '../src/official/logic.js';

const user = {
  id: 'o1',
  kind: 'official',
  memberships: [
    { unit_id: 'phuong-a', unit_name: 'Phường A', role: 'specialist', role_label_vi: 'Chuyên viên' },
    { unit_id: 'phuong-a', unit_name: 'Phường A', role: 'leader', role_label_vi: 'Lãnh đạo' },
    { unit_id: 'trung-tam', unit_name: 'Trung tâm', role: 'receiving_officer', role_label_vi: 'Cán bộ tiếp nhận' },
  ],
};

test('units are listed once, with every role held there', () => {
  const units = unitsOf(user);
  assert.deepEqual(units.map((u) => u.unit_id), ['phuong-a', 'trung-tam']);
  assert.deepEqual(units[0].roles.map((r) => r.role), ['specialist', 'leader']);
  assert.deepEqual(unitsOf(null), []);
});

test('the unit shown: asked for, else remembered, else the first; never one the official is not in', () => {
  assert.equal(pickUnit(user, 'trung-tam', 'phuong-a'), 'trung-tam');
  assert.equal(pickUnit(user, '', 'trung-tam'), 'trung-tam');
  assert.equal(pickUnit(user, 'elsewhere', 'gone'), 'phuong-a');
  assert.equal(pickUnit({ memberships: [] }, 'x'), '');
});

test('roles are per unit', () => {
  assert.ok(hasRole(user, 'leader', 'phuong-a'));
  assert.ok(!hasRole(user, 'leader', 'trung-tam'));
  assert.ok(hasRole(user, 'leader'));
});

test('worklist: deadline first, no deadline last, server order kept for ties; pages merge without repeats', () => {
  const items = [
    { id: 'a', due_at: '2026-12-02T10:00:00Z' },
    { id: 'b', due_at: null },
    { id: 'c', due_at: '2026-11-30T10:00:00Z' },
    { id: 'd', due_at: '2026-12-02T10:00:00Z' },
  ];
  assert.deepEqual(sortByDue(items).map((x) => x.id), ['c', 'a', 'd', 'b']);
  assert.deepEqual(mergePage([{ id: 'a' }, { id: 'b' }], [{ id: 'b' }, { id: 'c' }]).map((x) => x.id), ['a', 'b', 'c']);
});

test('badge: the server’s word, else overdue worked out from the due date', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  assert.equal(badgeOf({ badge: 'at_risk', due_at: '2026-11-01T00:00:00Z' }, now), 'at_risk');
  assert.equal(badgeOf({ badge: null, due_at: '2026-11-01T00:00:00Z' }, now), null);
  assert.equal(badgeOf({ due_at: '2026-11-01T00:00:00Z', stage: 'appraisal' }, now), 'overdue');
  assert.equal(badgeOf({ due_at: '2026-11-01T00:00:00Z', stage: 'closed' }, now), null);
  assert.equal(badgeOf({ due_at: '2026-12-05T00:00:00Z' }, now), null);
});

const docs = [
  { id: 'to_khai', name: 'Tờ khai', kind: 'original' },
  { id: 'cccd', name: 'Căn cước', kind: 'present' },
];
const input = (patch) => ({ ...emptyActionInput(), ...patch });

test('an action without needs sends just the version', () => {
  assert.deepEqual(buildAction('receive', [], input({}), { version: 3 }), { body: { version: 3 }, errors: {} });
  assert.deepEqual(buildAction('forward', [], input({}), { version: 4 }).body, { version: 4 });
});

test('refuse / stop need a reason; send_back sends it as "comment"', () => {
  assert.deepEqual(buildAction('refuse', ['reason'], input({ reason: '  ' }), { version: 1 }).errors, { 'act-reason': { key: 'act.err.reason' } });
  assert.deepEqual(buildAction('refuse', ['reason'], input({ reason: ' Sai thẩm quyền ' }), { version: 1 }).body, { version: 1, reason: 'Sai thẩm quyền' });
  const back = buildAction('send_back', ['reason'], input({ reason: 'Thiếu chữ ký' }), { version: 2 });
  assert.deepEqual(back.body, { version: 2, comment: 'Thiếu chữ ký' });
  assert.equal(buildAction('send_back', ['reason'], input({}), { version: 2 }).errors['act-reason'].key, 'act.err.comment');
});

test('propose: the note is optional', () => {
  assert.deepEqual(buildAction('propose', ['note'], input({}), { version: 5 }), { body: { version: 5 }, errors: {} });
  assert.deepEqual(buildAction('propose', ['note'], input({ note: 'Đủ điều kiện' }), { version: 5 }).body, { version: 5, note: 'Đủ điều kiện' });
});

test('request_supplement: ticked documents and added rows, each with a reason; "present" asks for the original', () => {
  const none = buildAction('request_supplement', ['missing'], input({}), { version: 1, documents: docs });
  assert.equal(none.errors['act-missing'].key, 'act.err.missing');
  const ok = buildAction(
    'request_supplement',
    ['missing'],
    input({
      docs: { to_khai: { checked: true, reason: 'Thiếu chữ ký' }, cccd: { checked: true, reason: 'Ảnh mờ' } },
      extra: [{ key: 'k1', name: 'Giấy xác nhận cư trú', kind: 'copy', reason: 'Xác định nơi cư trú' }, { key: 'k2', name: '', kind: 'copy', reason: '' }],
      note: 'Chụp rõ nét',
    }),
    { version: 7, documents: docs },
  );
  assert.deepEqual(ok.errors, {});
  assert.deepEqual(ok.body, {
    version: 7,
    missing: [
      { name: 'Tờ khai', kind: 'original', reason: 'Thiếu chữ ký' },
      { name: 'Căn cước', kind: 'original', reason: 'Ảnh mờ' },
      { name: 'Giấy xác nhận cư trú', kind: 'copy', reason: 'Xác định nơi cư trú' },
    ],
    note: 'Chụp rõ nét',
  });
  const bad = buildAction('request_supplement', ['missing'], input({ docs: { to_khai: { checked: true, reason: '' } }, extra: [{ key: 'k', name: 'X', kind: 'copy', reason: '' }] }), { version: 1, documents: docs });
  assert.deepEqual(Object.keys(bad.errors).sort(), ['act-doc-reason-to_khai', 'act-extra-reason-k']);
});

test('assign needs someone; return_result by post needs an address', () => {
  assert.equal(buildAction('assign', ['assignee'], input({}), { version: 1 }).errors['act-assignee'].key, 'act.err.assignee');
  assert.deepEqual(buildAction('assign', ['assignee'], input({ assignee_id: 'cv1' }), { version: 1 }).body, { version: 1, assignee_id: 'cv1' });
  assert.ok(buildAction('return_result', ['method'], input({}), { version: 1 }).errors['act-method']);
  assert.deepEqual(buildAction('return_result', ['method'], input({ method: 'online' }), { version: 1 }).body, { version: 1, method: 'online' });
  assert.ok(buildAction('return_result', ['method'], input({ method: 'post' }), { version: 1 }).errors['act-address']);
  assert.deepEqual(buildAction('return_result', ['method'], input({ method: 'post', address: 'Số 1', tracking_number: 'EB123VN' }), { version: 1 }).body, {
    version: 1,
    method: 'post',
    address: 'Số 1',
    tracking_number: 'EB123VN',
  });
});

test('apology: a reason and a new date after today', () => {
  const ctx = { version: 2, today: '2026-11-26' };
  const errs = buildAction('apology', ['reason', 'date'], input({ new_due_date: '2026-11-26' }), ctx).errors;
  assert.deepEqual(Object.keys(errs).sort(), ['act-date', 'act-reason']);
  assert.deepEqual(buildAction('apology', ['reason', 'date'], input({ reason: 'Chờ xác minh', new_due_date: '2026-12-03' }), ctx).body, {
    version: 2,
    reason: 'Chờ xác minh',
    new_due_date: '2026-12-03',
  });
});

test('signing ids: one from the path, or a list from ?ids=, without blanks or repeats', () => {
  assert.deepEqual(signingIds(null, 'abc'), ['abc']);
  assert.deepEqual(signingIds('a, b,,a ,c', undefined), ['a', 'b', 'c']);
  assert.deepEqual(signingIds('', undefined), []);
});
