// Every word the pages ask for exists in Vietnamese, and in English too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DICTIONARIES } from '../src/lib/i18n.js';
import '../src/official/text.js';
import '../src/official/admin-text.js';
import '../src/verify/text.js';
import '../src/notifications/text.js';
import '../src/payment/text.js';
import '../src/assistant/text.js';
import { CRITERIA } from '../src/public/text.js';
import '../src/stats/text.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : /\.(jsx?|mjs)$/.test(f) ? [join(dir, f)] : []));

test('every literal t() key has a Vietnamese and an English text', () => {
  const used = new Set();
  for (const f of files(src).filter((f) => !f.endsWith('i18n.js'))) for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([a-z_.]+)'/g)) used.add(m[1]);
  const missingVi = [...used].filter((k) => !(k in DICTIONARIES.vi));
  const missingEn = [...used].filter((k) => !(k in DICTIONARIES.en));
  assert.deepEqual(missingVi, []);
  assert.deepEqual(missingEn, []);
});

test('the two dictionaries have the same keys', () => {
  const vi = Object.keys(DICTIONARIES.vi);
  const en = new Set(Object.keys(DICTIONARIES.en));
  assert.deepEqual(vi.filter((k) => !en.has(k)), []);
  assert.deepEqual([...en].filter((k) => !(k in DICTIONARIES.vi)), []);
});

test('keys built at run time exist (statuses, kinds, methods, passkey errors)', () => {
  const keys = [
    ...['submitted', 'received', 'supplement_requested', 'in_progress', 'fee_due', 'refused', 'withdrawal_requested', 'stopped', 'done', 'returned'].map((s) => `status.${s}`),
    ...['original', 'certified_copy', 'copy', 'present'].map((k) => `kind.${k}`),
    ...['online', 'counter', 'post'].map((m) => `method.${m}`),
    ...['cancelled', 'exists', 'unsupported', 'insecure', 'failed'].map((k) => `wa.${k}`),
  ];
  for (const k of keys) {
    assert.ok(k in DICTIONARIES.vi, k);
    assert.ok(k in DICTIONARIES.en, k);
  }
});

test("the public side's run-time keys exist in both languages (scores, criteria, kinds, statuses, kiosk replies)", () => {
  const keys = [
    ...[1, 2, 3, 4, 5].map((n) => `score.${n}`),
    ...CRITERIA.map((c) => `crit.${c}`),
    ...['dossier', 'procedure', 'office'].map((k) => `fb.kind.${k}`),
    ...['open', 'answered'].map((k) => `fb.status.${k}`),
    ...['open', 'answered'].map((k) => `wfb.${k}`),
    ...['thanks', 'already', 'not_found'].map((k) => `kiosk.${k}`),
  ];
  for (const k of keys) {
    assert.ok(k in DICTIONARIES.vi, `vi: ${k}`);
    assert.ok(k in DICTIONARIES.en, `en: ${k}`);
  }
});
