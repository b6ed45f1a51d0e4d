// The service worker keeps sample dossiers (public, made-up data) and nothing else that is a PDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEVER_CACHE, mayCache, mayCacheSample } from '../src/lib/sw-rules.js';

test('a procedure sample dossier may be cached, in its own cache rule', () => {
  assert.ok(mayCacheSample('/api/v1/procedures/1.001193/sample-dossier.pdf'));
  assert.ok(!mayCache('/api/v1/procedures/1.001193/sample-dossier.pdf')); // not in the catalogue data cache
});

test('no personal PDF looks like a sample', () => {
  for (const p of [
    '/api/v1/dossiers/abc/declaration.pdf',
    '/api/v1/dossiers/abc/receipt.pdf',
    '/api/v1/dossiers/abc/result.pdf',
    '/api/v1/procedures/1.001193/sample-dossier.pdf/../../dossiers/x/declaration.pdf',
    '/api/v1/procedures/x/sample-dossier.pdf',
    '/api/v1/procedures/1.001193/sample-dossier.pdf?x=1/dossiers',
    '/api/v1/dossiers/1.001193/sample-dossier.pdf',
  ]) {
    assert.ok(!mayCacheSample(p), p);
  }
  assert.ok(NEVER_CACHE.test('/api/v1/dossiers/abc/declaration.pdf'));
});
