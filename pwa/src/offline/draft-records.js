// Draft records in IndexedDB "drafts": how one is made (online: created on the server at once; offline:
// "local-<uuid>" until it is first sent), built from a server dossier, listed, and pruned.
import { isNetworkError, post, uuid } from '../lib/api.js';
import { idbAll, idbDelete, idbPut } from '../lib/idb.js';
import { state } from '../lib/store.js';
import { deserializeValue } from '../lib/validate.js';
import { summaryOf } from './outbox.js';

export const isLocalId = (id) => String(id).startsWith('local-');

const PROCEDURE_KEYS = ['code', 'name', 'name_en', 'official_name', 'field', 'level', 'online_level', 'processing_time', 'fee', 'authority', 'documents', 'form', 'result'];
// The procedure as it was when the draft began: the form can be filled offline, and later catalogue edits
// do not move fields under the citizen's feet.
export function snapshotProcedure(p) {
  const out = {};
  for (const k of PROCEDURE_KEYS) if (k in p) out[k] = p[k];
  out.form = out.form || [];
  out.documents = out.documents || [];
  return out;
}

export function fromServer(d, procedure) {
  const form = {};
  for (const f of procedure.form || []) if (d.form && f.name in d.form) form[f.name] = deserializeValue(f, d.form[f.name]);
  return {
    id: d.id,
    owner: (state.user && state.user.id) || null,
    serverId: d.id,
    createKey: null,
    procedure: snapshotProcedure(procedure),
    form,
    receiving_office_id: (d.receiving_office && d.receiving_office.id) || '',
    competent_unit_id: (d.competent_unit && d.competent_unit.id) || '',
    attachments: (d.attachments || []).map(serverAttachment),
    pendingDeletes: [],
    dirty: [],
    officeDirty: false,
    serverProblems: d.problems || {},
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    queued: false,
    submitted: d.status !== 'draft' ? summaryOf(d) : null,
  };
}

export function serverAttachment(a) {
  return { id: 'srv-' + a.id, serverId: a.id, document_id: a.document_id, filename: a.filename, content_type: a.content_type, size: a.size, state: 'done', progress: 1, error: null };
}

/** Start a new draft for `procedure` (full detail). Created on the server at once when online. */
export async function createDraft(procedure, user) {
  const rec = {
    id: 'local-' + uuid(),
    owner: (user && user.id) || null, // on a shared phone, "Hồ sơ của tôi" lists only the signed-in citizen's drafts
    serverId: null,
    createKey: uuid(),
    procedure: snapshotProcedure(procedure),
    form: {},
    receiving_office_id: '',
    competent_unit_id: '',
    attachments: [],
    pendingDeletes: [],
    dirty: [],
    officeDirty: false,
    serverProblems: {},
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    queued: false,
    submitted: null,
  };
  const phoneField = rec.procedure.form.find((f) => f.name === 'applicant_phone');
  if (phoneField && user && user.phone) {
    rec.form.applicant_phone = user.phone;
    rec.dirty.push('applicant_phone');
  }
  if (navigator.onLine) {
    try {
      const d = await post('/dossiers', { procedure_code: procedure.code }, { idempotencyKey: rec.createKey });
      rec.id = d.id;
      rec.serverId = d.id;
    } catch (e) {
      if (!isNetworkError(e)) throw e; // 401 etc. are for the caller; offline falls back to a local draft
    }
  }
  await idbPut('drafts', rec);
  return rec;
}

/** Drafts and queued dossiers kept on this device for this citizen. */
export async function localDrafts(userId) {
  return (await idbAll('drafts')).filter((r) => !r.submitted && (!r.owner || r.owner === userId));
}

/** Forget submitted records older than two weeks (they only map a local id to the server's). */
export async function pruneDrafts() {
  const cutoff = Date.now() - 14 * 86400 * 1000;
  for (const r of await idbAll('drafts')) {
    if (r.submitted && Date.parse(r.updatedAt || 0) < cutoff) await idbDelete('drafts', r.id);
  }
}
