// Officials' side, the parts without a DOM (unit choice, ordering, action bodies), so node tests can use them.

export const UNIT_KEY = 'motcua.unit';

/** The units an official belongs to, once each, with every role held there. */
export function unitsOf(user) {
  const out = [];
  for (const m of (user && user.memberships) || []) {
    let u = out.find((x) => x.unit_id === m.unit_id);
    if (!u) out.push((u = { unit_id: m.unit_id, unit_name: m.unit_name, roles: [] }));
    if (!u.roles.some((r) => r.role === m.role)) u.roles.push({ role: m.role, role_label_vi: m.role_label_vi, role_label_en: m.role_label_en });
  }
  return out;
}

/** The unit to show: the one asked for, else the one remembered, else the first. */
export function pickUnit(user, ...wanted) {
  const units = unitsOf(user);
  for (const w of wanted) if (w && units.some((u) => u.unit_id === w)) return w;
  return units.length ? units[0].unit_id : '';
}

export function hasRole(user, role, unitId) {
  return ((user && user.memberships) || []).some((m) => m.role === role && (!unitId || m.unit_id === unitId));
}

/** Officials whose only role anywhere is "admin" have no worklist: their home is the admin page. */
export function adminOnly(user) {
  const ms = (user && user.memberships) || [];
  return ms.length > 0 && ms.every((m) => m.role === 'admin');
}

/** Deadline first (overdue at the top), dossiers without a deadline last; the server's order otherwise. */
export function sortByDue(items) {
  return items
    .map((x, i) => [x, i])
    .sort(([a, i], [b, j]) => {
      const da = a.due_at ? Date.parse(a.due_at) : Infinity;
      const db = b.due_at ? Date.parse(b.due_at) : Infinity;
      return da - db || i - j;
    })
    .map(([x]) => x);
}

/** Append a new page, leaving out anything already listed (the list may have moved between pages). */
export function mergePage(items, more) {
  const seen = new Set(items.map((x) => x.id));
  return [...items, ...more.filter((x) => !seen.has(x.id))];
}

/** "overdue" | "at_risk" | null — the server's badge, or worked out from the due date when it sent none. */
export function badgeOf(d, now = Date.now()) {
  if (d.badge !== undefined) return d.badge;
  if (!d.due_at || d.stage === 'closed' || ['done', 'returned', 'refused', 'stopped'].includes(d.status)) return null;
  return Date.parse(d.due_at) < now ? 'overdue' : null;
}

// A procedure's documents are "original" / "certified_copy" / "copy" / "present"; a supplement asks for one
// of the first three.
export const SUPPLEMENT_KINDS = ['original', 'certified_copy', 'copy'];
const kindForSupplement = (kind) => (SUPPLEMENT_KINDS.includes(kind) ? kind : 'original');

const blank = (v) => !String(v ?? '').trim();

/** A fresh input for the action sheet. */
export function emptyActionInput() {
  return { reason: '', note: '', docs: {}, extra: [], assignee_id: '', method: '', tracking_number: '', address: '', new_due_date: '' };
}

/**
 * The request body of an action and what is missing from it.
 * `needs` comes from allowed_actions; `documents` are the procedure's documents (for request_supplement).
 * Returns { body, errors } — errors maps the id of the input to fix to { key, vars } for t().
 */
export function buildAction(action, needs, input, { version, documents = [], today = '' } = {}) {
  const need = new Set(needs || []);
  const body = { version };
  const errors = {};
  const text = (v) => String(v ?? '').trim();

  if (need.has('reason')) {
    if (blank(input.reason)) errors['act-reason'] = { key: action === 'send_back' ? 'act.err.comment' : 'act.err.reason' };
    body[action === 'send_back' ? 'comment' : 'reason'] = text(input.reason);
  }
  if ((need.has('note') || action === 'propose') && !blank(input.note)) body.note = text(input.note);

  if (need.has('missing') || action === 'request_supplement') {
    const missing = [];
    for (const d of documents) {
      const row = input.docs[d.id];
      if (!row || !row.checked) continue;
      if (blank(row.reason)) errors[`act-doc-reason-${d.id}`] = { key: 'act.err.doc_reason', vars: { name: d.name } };
      missing.push({ name: d.name, kind: kindForSupplement(d.kind), reason: text(row.reason) });
    }
    for (const row of input.extra) {
      if (blank(row.name) && blank(row.reason)) continue; // an empty row that was added and left
      if (blank(row.name)) errors[`act-extra-name-${row.key}`] = { key: 'act.err.doc_name' };
      if (blank(row.reason)) errors[`act-extra-reason-${row.key}`] = { key: 'act.err.doc_reason', vars: { name: text(row.name) || '…' } };
      missing.push({ name: text(row.name), kind: kindForSupplement(row.kind), reason: text(row.reason) });
    }
    if (!missing.length) errors['act-missing'] = { key: 'act.err.missing' };
    body.missing = missing;
    body.note = text(input.note);
  }

  if (need.has('assignee')) {
    if (!input.assignee_id) errors['act-assignee'] = { key: 'act.err.assignee' };
    body.assignee_id = input.assignee_id;
  }

  if (need.has('method')) {
    if (!['online', 'counter', 'post'].includes(input.method)) errors['act-method'] = { key: 'act.err.method' };
    body.method = input.method;
    if (input.method === 'post') {
      if (blank(input.address)) errors['act-address'] = { key: 'act.err.address' };
      body.address = text(input.address);
      if (!blank(input.tracking_number)) body.tracking_number = text(input.tracking_number);
    }
  }

  if (need.has('date')) {
    const v = input.new_due_date || '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || (today && v <= today)) errors['act-date'] = { key: 'act.err.date' };
    body.new_due_date = v;
  }
  return { body, errors };
}

/** ids from "/can-bo/ky?ids=a,b,c" (or one id), without blanks or repeats. */
export function signingIds(param, single) {
  const ids = single ? [single] : String(param || '').split(',');
  return [...new Set(ids.map((s) => s.trim()).filter(Boolean))];
}
