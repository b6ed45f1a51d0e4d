// Submissions that wait for the network. Shared by the page and the service worker (Background Sync).
//
// A queued submission = the draft record in IndexedDB "drafts" (form values, office choices, attachment
// metadata, the dossier's create key) + the files in "blobs" + an "outbox" entry holding the submit key.
// Every Idempotency-Key is made ONCE, stored, and reused on every retry, so a double delivery is harmless:
//   POST /dossiers (createKey) → PATCH form → POST each attachment (its own key) → POST submit (submitKey).
import { del, get, patch, post, uuid } from '../lib/api.js';
import { idbAll, idbDelete, idbGet, idbPut } from '../lib/idb.js';
import { serializeForm } from '../lib/validate.js';

export const SYNC_TAG = 'motcua-outbox';
const LOCK = 'motcua-outbox';

let chain = Promise.resolve();
export function withOutboxLock(fn) {
  // Web Locks are shared by the page and the service worker, so only one of them sends at a time.
  if (typeof navigator !== 'undefined' && navigator.locks && navigator.locks.request) {
    return navigator.locks.request(LOCK, fn);
  }
  const run = chain.then(fn, fn);
  chain = run.catch(() => {});
  return run;
}

/** Body of the PATCH that brings the server's draft up to date with this device. */
export function draftPayload(rec) {
  const body = { form: serializeForm(rec.procedure.form || [], rec.form || {}) };
  if (rec.receiving_office_id) body.receiving_office_id = rec.receiving_office_id;
  if (rec.competent_unit_id) body.competent_unit_id = rec.competent_unit_id;
  return body;
}

/** Creates the server dossier for a draft started offline (once: the key is the draft's createKey). */
export async function ensureServerDossier(rec) {
  if (rec.serverId) return rec.serverId;
  const d = await post('/dossiers', { procedure_code: rec.procedure.code }, { idempotencyKey: rec.createKey });
  rec.serverId = d.id;
  return d.id;
}

export async function uploadWithFetch(serverId, att, blob) {
  const form = new FormData();
  form.append('document_id', att.document_id);
  form.append('file', blob, att.filename);
  return post(`/dossiers/${encodeURIComponent(serverId)}/attachments`, undefined, { form, idempotencyKey: att.key });
}

/** Put a draft in the outbox. The submit key is made here, once, and kept for every retry. */
export async function enqueue(rec) {
  rec.queued = true;
  rec.sendError = null;
  await idbPut('drafts', rec);
  const existing = await idbGet('outbox', rec.id);
  await idbPut('outbox', existing || { id: rec.id, submitKey: uuid(), queuedAt: new Date().toISOString(), attempts: 0 });
}

export const outboxItems = () => idbAll('outbox');

export function summaryOf(d) {
  return {
    serverId: d.id,
    code: d.code,
    status: d.status,
    status_label_vi: d.status_label_vi,
    status_label_en: d.status_label_en,
    due_at: d.due_at,
    submitted_at: d.submitted_at,
    receipt_url: d.receipt_url,
  };
}

async function sendOne(item) {
  const rec = await idbGet('drafts', item.id);
  if (!rec) {
    await idbDelete('outbox', item.id);
    return null;
  }
  if (!rec.serverId) {
    await ensureServerDossier(rec);
    await idbPut('drafts', rec);
  }
  const id = encodeURIComponent(rec.serverId);
  let alreadySent = false;
  try {
    await patch(`/dossiers/${id}`, draftPayload(rec));
  } catch (e) {
    if (e.code !== 'not_a_draft') throw e;
    alreadySent = true; // the submit went through before and only its answer was lost
  }
  if (!alreadySent) {
    for (const attId of rec.pendingDeletes || []) {
      try {
        await del(`/dossiers/${id}/attachments/${encodeURIComponent(attId)}`);
      } catch (e) {
        if (e.status !== 404) throw e;
      }
      rec.pendingDeletes = rec.pendingDeletes.filter((x) => x !== attId);
      await idbPut('drafts', rec);
    }
    for (const att of rec.attachments || []) {
      if (att.serverId || att.state === 'rejected') continue;
      const blob = await idbGet('blobs', att.id);
      if (!blob) continue;
      let res;
      try {
        res = await uploadWithFetch(rec.serverId, att, blob);
      } catch (e) {
        if (e.status && e.status !== 401 && e.status !== 429 && e.status < 500) {
          att.state = 'failed';
          att.error = { message: e.messageVi, message_en: e.messageEn };
          await idbPut('drafts', rec);
        }
        throw e;
      }
      att.serverId = res.id;
      att.state = 'done';
      att.progress = 1;
      att.error = null;
      await idbPut('drafts', rec);
      await idbDelete('blobs', att.id);
    }
  }
  let d;
  try {
    d = await post(`/dossiers/${id}/submit`, {}, { idempotencyKey: item.submitKey });
  } catch (e) {
    if (e.status !== 409) throw e;
    d = await get(`/dossiers/${id}`); // submitted from elsewhere: take the server's word
    if (d.status === 'draft') throw e;
  }
  rec.queued = false;
  rec.sendError = null;
  rec.submitted = summaryOf(d);
  await idbPut('drafts', rec);
  await idbDelete('outbox', item.id);
  return d;
}

/**
 * Send everything in the outbox, oldest first. `notify(event)` hears
 *   { type: 'sent', id, dossier } | { type: 'failed', id, error } | { type: 'waiting', id, error }.
 * Resolves to { sent, waiting } — waiting counts items left for later (network, 401, 429, 5xx).
 */
export function flushOutbox(notify = () => {}) {
  return withOutboxLock(async () => {
    const items = (await idbAll('outbox')).sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
    let sent = 0;
    let waiting = 0;
    let offline = false;
    for (const item of items) {
      if (offline) {
        waiting++;
        continue;
      }
      try {
        const d = await sendOne(item);
        if (d) {
          sent++;
          notify({ type: 'sent', id: item.id, dossier: d });
        }
      } catch (e) {
        const error = { status: e.status || 0, code: e.code || 'error', message: e.messageVi || '', message_en: e.messageEn || '', fields: e.fields || {} };
        const transient = !e.status || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;
        if (transient) {
          waiting++;
          offline = !e.status;
          await idbPut('outbox', { ...item, attempts: (item.attempts || 0) + 1, lastError: error, lastTriedAt: new Date().toISOString() });
          const rec = await idbGet('drafts', item.id);
          if (rec) {
            rec.sendError = error;
            await idbPut('drafts', rec);
          }
          notify({ type: 'waiting', id: item.id, error });
        } else {
          // It will not go through as it is (a missing field, a file refused…): back to a draft, with the reasons.
          await idbDelete('outbox', item.id);
          const rec = await idbGet('drafts', item.id);
          if (rec) {
            rec.queued = false;
            rec.sendError = error;
            await idbPut('drafts', rec);
          }
          notify({ type: 'failed', id: item.id, error });
        }
      }
    }
    return { sent, waiting };
  });
}
