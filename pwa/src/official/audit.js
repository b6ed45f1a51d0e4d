// The administrator's page without a DOM (node tests use it): reading audit subjects, problems, actors and
// the before/after of an entry as compact text.
import { formatDateTime } from '../lib/format.js';

/** "dossier:<id>" → "<id>"; other subjects (not dossiers) → null. */
export function dossierIdOf(subject) {
  const m = /^dossier:(.+)$/.exec(subject || '');
  return m ? m[1] : null;
}

/**
 * What an administrator typed or pasted to open one dossier's log: the id itself, "dossier:<id>", or the
 * address of the dossier's staff page (…/can-bo/ho-so/<id>…). Returns the id, or '' when nothing is left.
 */
export function dossierIdFromInput(text) {
  let s = String(text || '').trim();
  const page = /\/can-bo\/(?:ho-so|ky)\/([^/?#\s]+)/.exec(s);
  if (page) s = decodeURIComponent(page[1]);
  return s.replace(/^dossier:/, '').trim();
}

/** The server's problem ("entry 3 is missing", …) as a dictionary key and its values, or null if unknown. */
export function problemKey(problem) {
  const p = String(problem || '').trim();
  const missing = /^entry (\d+) is missing$/.exec(p);
  if (missing) return { key: 'adm.problem.missing', vars: { n: missing[1] } };
  if (p === 'does not follow the previous entry') return { key: 'adm.problem.chain' };
  if (p === 'content changed after it was written') return { key: 'adm.problem.changed' };
  return null;
}

/** "citizen:6196…" → { kind: 'citizen', id: '6196…' }; a bare word (no colon) is its own kind. */
export function actorParts(actor) {
  const s = String(actor || '');
  const i = s.indexOf(':');
  return i < 0 ? { kind: s, id: '' } : { kind: s.slice(0, i), id: s.slice(i + 1) };
}

/** Long opaque ids and hashes are shortened on a phone (the full value stays available). */
export const isOpaque = (s) => /^[0-9a-f]{20,}$/i.test(String(s || ''));
export const shorten = (s, n = 10) => (String(s || '').length > n + 1 ? String(s).slice(0, n) + '…' : String(s || ''));

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** One value as short text: times in Việt Nam format, objects as JSON, nothing as null. */
export function valueText(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return ISO_TIME.test(v) ? formatDateTime(v) || v : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * before → after of an audit entry as lines { key, from, to } (from/to: text or null = not there).
 * Two objects: one line per key that changed (added, removed or new value), in the order they appear.
 * Anything else: a single line without a key. [] when nothing changed.
 */
export function changeLines(before, after) {
  if ((isObject(before) || before == null) && (isObject(after) || after == null)) {
    const b = before || {};
    const a = after || {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys
      .filter((k) => !(k in b && k in a && same(b[k], a[k])))
      .map((k) => ({ key: k, from: k in b ? valueText(b[k]) : null, to: k in a ? valueText(a[k]) : null }));
  }
  if (same(before, after)) return [];
  return [{ key: '', from: valueText(before), to: valueText(after) }];
}

/** "14:05:09 30/11/2026" — audit times keep their seconds. */
export function auditTime(iso) {
  const ms = Date.parse(iso || '');
  if (Number.isNaN(ms)) return iso || '';
  const sec = String(new Date(ms).getUTCSeconds()).padStart(2, '0');
  return formatDateTime(iso).replace(/^(\d{2}:\d{2})/, `$1:${sec}`);
}

