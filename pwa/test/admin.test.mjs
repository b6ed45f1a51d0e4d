// The administrator's page without a browser: audit subjects, problems, actors, before → after, who lands where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actorParts, auditTime, changeLines, dossierIdFromInput, dossierIdOf, isOpaque, problemKey, shorten } from '../src/official/audit.js';
import { adminOnly } from '../src/official/logic.js';
import { isAdmin } from '../src/lib/store.js';

test('a broken chain links to its dossier; other subjects have no dossier', () => {
  assert.equal(dossierIdOf('dossier:c76435af1246441191b117d7b3b51081'), 'c76435af1246441191b117d7b3b51081');
  assert.equal(dossierIdOf('official:quan-tri'), null);
  assert.equal(dossierIdOf(''), null);
});

test('the dossier field takes the id, "dossier:<id>" or the address of the dossier page', () => {
  assert.equal(dossierIdFromInput('  abc123 '), 'abc123');
  assert.equal(dossierIdFromInput('dossier:abc123'), 'abc123');
  assert.equal(dossierIdFromInput('http://localhost:8080/can-bo/ho-so/abc123?x=1'), 'abc123');
  assert.equal(dossierIdFromInput('/can-bo/ky/abc123'), 'abc123');
  assert.equal(dossierIdFromInput('   '), '');
});

test('the server’s problems are known words; an unknown one is left as it is', () => {
  assert.deepEqual(problemKey('entry 3 is missing'), { key: 'adm.problem.missing', vars: { n: '3' } });
  assert.deepEqual(problemKey('does not follow the previous entry'), { key: 'adm.problem.chain' });
  assert.deepEqual(problemKey('content changed after it was written'), { key: 'adm.problem.changed' });
  assert.equal(problemKey('something else'), null);
});

test('actors and long ids', () => {
  assert.deepEqual(actorParts('citizen:6196'), { kind: 'citizen', id: '6196' });
  assert.deepEqual(actorParts('system'), { kind: 'system', id: '' });
  assert.ok(isOpaque('61967479307846f2807b26196ba883fb'));
  assert.ok(!isOpaque('quan-tri'));
  assert.equal(shorten('0123456789abcdef', 10), '0123456789…');
  assert.equal(shorten('short', 10), 'short');
});

test('before → after: only what changed, times in Việt Nam format', () => {
  assert.deepEqual(changeLines(null, { status: 'draft', procedure: '1.001193' }), [
    { key: 'status', from: null, to: 'draft' },
    { key: 'procedure', from: null, to: '1.001193' },
  ]);
  assert.deepEqual(changeLines({ status: 'draft' }, { status: 'submitted', due_at: '2026-11-27T10:00:00+00:00' }), [
    { key: 'status', from: 'draft', to: 'submitted' },
    { key: 'due_at', from: null, to: '17:00 27/11/2026' },
  ]);
  assert.deepEqual(changeLines({ a: 1, b: [1] }, { a: 1 }), [{ key: 'b', from: '[1]', to: null }]);
  assert.deepEqual(changeLines({ a: 1 }, { a: 1 }), []);
  assert.deepEqual(changeLines('x', 'y'), [{ key: '', from: 'x', to: 'y' }]);
});

test('audit times keep their seconds', () => {
  assert.equal(auditTime('2026-11-26T03:04:05+00:00'), '10:04:05 26/11/2026');
  assert.equal(auditTime('not a time'), 'not a time');
});

test('who is an administrator, and who is only one', () => {
  const admin = { kind: 'official', memberships: [{ unit_id: 'tinh', role: 'admin' }] };
  const both = { kind: 'official', memberships: [{ unit_id: 'tinh', role: 'admin' }, { unit_id: 'p', role: 'leader' }] };
  const leader = { kind: 'official', memberships: [{ unit_id: 'p', role: 'leader' }] };
  assert.ok(isAdmin(admin) && isAdmin(both) && !isAdmin(leader));
  assert.ok(!isAdmin({ kind: 'citizen', memberships: [{ role: 'admin' }] }));
  assert.ok(adminOnly(admin) && !adminOnly(both) && !adminOnly(leader) && !adminOnly({ memberships: [] }));
});
