// A dossier being filled on this device. Each draft has one controller (kept for the whole visit) that:
//   - saves every change to IndexedDB "drafts" (debounced 300 ms), so closing the app loses nothing;
//   - PATCHes the server draft (debounced 1.5 s, when online) with the fields changed since the last PATCH;
//   - downscales and uploads files with progress, keeping not-yet-uploaded files in "blobs";
//   - hands the whole dossier to the outbox on submit.
// Route ids: the server's dossier id, or "local-<uuid>" for a draft started offline (it gets a serverId later).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, isNetworkError, patch, uuid } from '../lib/api.js';
import { idbDelete, idbGet, idbPut } from '../lib/idb.js';
import { FileRejected, prepareFile } from '../lib/image.js';
import { state } from '../lib/store.js';
import { uploadAttachment } from '../lib/upload.js';
import { deserializeValue, serializeForm, validateField } from '../lib/validate.js';
import { todayVn } from '../lib/format.js';
import { SYNC_TAG, enqueue, ensureServerDossier, flushOutbox, summaryOf, withOutboxLock } from './outbox.js';
import { fromServer, isLocalId, serverAttachment } from './draft-records.js';

const LOCAL_SAVE_MS = 300;
const SERVER_SYNC_MS = 1500;

const controllers = new Map();

class DraftController {
  constructor(id) {
    this.id = id;
    this.rec = null;
    this.loading = true;
    this.error = null;
    this.listeners = new Set();
    this.version = 0; // bumped on every change, so a late subscriber can tell it missed one
    this.savedLocalAt = null;
    this.savedServerAt = null;
    this.serverError = null;
    this.docErrors = {}; // document_id → { code, filename } for a file refused before upload
    this.localTimer = null;
    this.syncTimer = null;
    this.syncing = null;
    this.syncAgain = false;
    this.creating = null;
    this.uploads = new Map(); // attachment id → { promise, abort }
    this.sending = false; // the check page is sending: it navigates itself when done
    this.ready = this.load();
  }

  emit() {
    this.version++;
    this.listeners.forEach((fn) => fn());
  }

  get editable() {
    return Boolean(this.rec && !this.rec.queued && !this.rec.submitted);
  }

  async load() {
    try {
      let rec = await idbGet('drafts', this.id);
      if (!rec && !isLocalId(this.id)) {
        const d = await get(`/dossiers/${encodeURIComponent(this.id)}`);
        const p = await get(`/procedures/${encodeURIComponent(d.procedure.code)}`);
        rec = fromServer(d, p);
        if (!rec.submitted) await idbPut('drafts', rec);
      } else if (rec && rec.serverId && !rec.queued && !rec.submitted && navigator.onLine) {
        await this.refreshFromServer(rec);
      }
      if (rec) {
        for (const a of rec.attachments) if (a.state === 'uploading' || a.state === 'processing') a.state = 'pending';
      }
      this.rec = rec || null;
      if (!rec) this.error = new ApiError(404, null);
    } catch (e) {
      this.error = e;
    }
    this.loading = false;
    this.emit();
    if (this.editable) this.resume();
  }

  /** Re-read from IndexedDB (after the outbox or the service worker changed the record). */
  async reload() {
    const rec = await idbGet('drafts', this.id);
    if (rec) this.rec = rec;
    this.emit();
  }

  // Bring in what the server knows that this device does not (edited on another device, or submitted).
  async refreshFromServer(rec) {
    let d;
    try {
      d = await get(`/dossiers/${encodeURIComponent(rec.serverId)}`);
    } catch {
      return; // offline or gone: this device's copy stands
    }
    if (d.status !== 'draft') {
      rec.submitted = summaryOf(d);
      await idbPut('drafts', rec);
      return;
    }
    for (const f of rec.procedure.form) {
      if (!rec.dirty.includes(f.name) && d.form && f.name in d.form) rec.form[f.name] = deserializeValue(f, d.form[f.name]);
    }
    if (!rec.officeDirty) {
      rec.receiving_office_id = (d.receiving_office && d.receiving_office.id) || rec.receiving_office_id || '';
      rec.competent_unit_id = (d.competent_unit && d.competent_unit.id) || rec.competent_unit_id || '';
    }
    const onServer = new Set((d.attachments || []).map((a) => a.id));
    const known = new Set(rec.attachments.map((a) => a.serverId).filter(Boolean));
    rec.attachments = rec.attachments.filter((a) => !a.serverId || onServer.has(a.serverId));
    for (const a of d.attachments || []) if (!known.has(a.id) && !(rec.pendingDeletes || []).includes(a.id)) rec.attachments.push(serverAttachment(a));
    rec.serverProblems = d.problems || {};
    await idbPut('drafts', rec);
  }

  resume() {
    if (!this.editable || !navigator.onLine) return;
    for (const a of this.rec.attachments) if (a.state === 'pending') this.upload(a.id);
    if (this.rec.dirty.length || this.rec.officeDirty || !this.rec.serverId) this.scheduleSync(0);
  }

  /** Apply a change; `fields` names the form fields it touched, `office` says the office choice changed. */
  change(fn, { fields = [], office = false } = {}) {
    if (!this.editable) return;
    const rec = this.rec;
    fn(rec);
    for (const name of fields) {
      if (!rec.dirty.includes(name)) rec.dirty.push(name);
      // a server message about this field no longer applies once it is changed
      if (rec.serverFieldErrors) delete rec.serverFieldErrors[name];
      if (rec.sendError && rec.sendError.fields) delete rec.sendError.fields[name];
    }
    if (office) {
      rec.officeDirty = true;
      for (const k of ['receiving_office_id', 'competent_unit_id']) {
        if (rec.serverFieldErrors) delete rec.serverFieldErrors[k];
        if (rec.sendError && rec.sendError.fields) delete rec.sendError.fields[k];
      }
    }
    rec.updatedAt = new Date().toISOString();
    this.emit();
    this.scheduleLocal();
    this.scheduleSync();
  }

  setField(name, value) {
    this.change((r) => {
      r.form[name] = value;
    }, { fields: [name] });
  }

  scheduleLocal() {
    clearTimeout(this.localTimer);
    this.localTimer = setTimeout(() => this.saveLocal(), LOCAL_SAVE_MS);
  }

  async saveLocal() {
    clearTimeout(this.localTimer);
    this.localTimer = null;
    if (!this.rec) return;
    await idbPut('drafts', this.rec);
    this.savedLocalAt = new Date();
    this.emit();
  }

  scheduleSync(delay = SERVER_SYNC_MS) {
    clearTimeout(this.syncTimer);
    if (!navigator.onLine) return;
    this.syncTimer = setTimeout(() => this.sync(), delay);
  }

  async ensureServer() {
    const rec = this.rec;
    if (rec.serverId) return rec.serverId;
    if (!this.creating) {
      this.creating = (async () => {
        await ensureServerDossier(rec);
        // everything typed so far only exists here: send it all
        rec.dirty = Object.keys(rec.form);
        rec.officeDirty = Boolean(rec.receiving_office_id || rec.competent_unit_id);
        await this.saveLocal();
        return rec.serverId;
      })().finally(() => {
        this.creating = null;
      });
    }
    return this.creating;
  }

  /** PATCH the fields changed since the last successful PATCH (only values that pass the client checks). */
  async sync() {
    clearTimeout(this.syncTimer);
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = this.doSync();
    try {
      await this.syncing;
    } finally {
      this.syncing = null;
      if (this.syncAgain) {
        this.syncAgain = false;
        this.scheduleSync(0);
      }
    }
  }

  async doSync() {
    const rec = this.rec;
    if (!this.editable || !navigator.onLine) return;
    try {
      await this.ensureServer();
      const today = todayVn();
      const names = rec.procedure.form
        .filter((f) => rec.dirty.includes(f.name))
        .filter((f) => {
          const v = rec.form[f.name];
          return v === '' || v === undefined || !validateField(f, v, 'vi', today);
        })
        .map((f) => f.name);
      const body = {};
      if (names.length) body.form = serializeForm(rec.procedure.form, rec.form, names);
      const office = rec.officeDirty ? [rec.receiving_office_id, rec.competent_unit_id] : null;
      if (office) {
        if (office[0]) body.receiving_office_id = office[0];
        if (office[1]) body.competent_unit_id = office[1];
      }
      if (!Object.keys(body).length) return;
      const sent = Object.fromEntries(names.map((n) => [n, rec.form[n]]));
      const d = await patch(`/dossiers/${encodeURIComponent(rec.serverId)}`, body);
      // a value typed again while the PATCH was on its way stays dirty
      rec.dirty = rec.dirty.filter((n) => !(n in sent) || rec.form[n] !== sent[n]);
      if (office && office[0] === rec.receiving_office_id && office[1] === rec.competent_unit_id) rec.officeDirty = false;
      rec.serverProblems = (d && d.problems) || {};
      rec.serverFieldErrors = {};
      this.savedServerAt = new Date();
      this.serverError = null;
      await this.saveLocal();
    } catch (e) {
      if (e.status === 422) {
        // the server disagrees with the client checks: show its words, do not resend the same values
        rec.serverFieldErrors = e.fields || {};
        rec.dirty = rec.dirty.filter((n) => !(n in rec.serverFieldErrors));
        if ('receiving_office_id' in rec.serverFieldErrors || 'competent_unit_id' in rec.serverFieldErrors) rec.officeDirty = false;
        await this.saveLocal();
      } else if (e.code === 'not_a_draft') {
        await this.refreshFromServer(rec);
      } else {
        this.serverError = e; // offline or unavailable: the 'online' event tries again
      }
      this.emit();
    }
  }

  attachment(id) {
    return this.rec && this.rec.attachments.find((a) => a.id === id);
  }

  /** Downscale, keep in IndexedDB, upload. Files that cannot be used are reported per document. */
  async addFiles(documentId, files) {
    for (const file of Array.from(files || [])) {
      if (!this.editable) return;
      const att = { id: uuid(), document_id: documentId, filename: file.name || 'anh.jpg', content_type: file.type, size: file.size, state: 'processing', progress: 0, key: uuid(), error: null, serverId: null };
      this.rec.attachments.push(att);
      delete this.docErrors[documentId];
      this.emit();
      try {
        const prepared = await prepareFile(file, state.config.max_upload_bytes);
        await idbPut('blobs', prepared.blob, att.id);
        Object.assign(att, { filename: prepared.filename, content_type: prepared.type, size: prepared.blob.size, state: 'pending' });
      } catch (e) {
        this.rec.attachments = this.rec.attachments.filter((a) => a.id !== att.id);
        this.docErrors[documentId] = { code: e instanceof FileRejected ? e.code : 'decode', filename: file.name };
        this.emit();
        continue;
      }
      this.rec.updatedAt = new Date().toISOString();
      await this.saveLocal();
      this.upload(att.id);
    }
  }

  upload(attId) {
    const att = this.attachment(attId);
    if (!att || att.serverId || this.uploads.has(attId) || !this.editable) return;
    if (!navigator.onLine) {
      att.state = 'pending';
      this.emit();
      return;
    }
    att.state = 'uploading';
    att.progress = 0;
    att.error = null;
    this.emit();
    const abort = new AbortController();
    const promise = (async () => {
      try {
        const serverId = await this.ensureServer();
        const blob = await idbGet('blobs', attId);
        if (!blob) throw new ApiError(410, null);
        const res = await uploadAttachment(serverId, { blob, filename: att.filename, documentId: att.document_id, key: att.key, direct: state.config.direct_uploads === true }, (p) => {
          const a = this.attachment(attId);
          if (a) a.progress = p;
          this.emit();
        }, abort.signal);
        const a = this.attachment(attId);
        if (a) Object.assign(a, { serverId: res.id, state: 'done', progress: 1, error: null });
        else await del(`/dossiers/${encodeURIComponent(serverId)}/attachments/${encodeURIComponent(res.id)}`).catch(() => {});
        await idbDelete('blobs', attId);
      } catch (e) {
        const a = this.attachment(attId);
        if (a && !(e && e.name === 'AbortError')) {
          const offline = isNetworkError(e) && !navigator.onLine;
          a.state = offline ? 'pending' : 'failed';
          a.error = e instanceof ApiError ? { message: e.messageVi, message_en: e.messageEn, network: e.network } : { message: '', network: true };
        }
      }
      this.uploads.delete(attId);
      await this.saveLocal();
    })();
    this.uploads.set(attId, { promise, abort });
  }

  async removeAttachment(attId) {
    const att = this.attachment(attId);
    if (!att || !this.editable) return;
    const running = this.uploads.get(attId);
    if (running) running.abort.abort();
    this.rec.attachments = this.rec.attachments.filter((a) => a.id !== attId);
    this.emit();
    if (att.serverId) {
      try {
        await del(`/dossiers/${encodeURIComponent(this.rec.serverId)}/attachments/${encodeURIComponent(att.serverId)}`);
      } catch (e) {
        if (isNetworkError(e)) this.rec.pendingDeletes = [...(this.rec.pendingDeletes || []), att.serverId];
      }
    }
    await idbDelete('blobs', attId);
    await this.saveLocal();
  }

  /** Hand the dossier to the outbox and try to send it now. Resolves to the record afterwards. */
  async submit() {
    this.sending = true;
    try {
      return await this.doSubmit();
    } finally {
      this.sending = false;
    }
  }

  async doSubmit() {
    clearTimeout(this.syncTimer);
    await Promise.all([...this.uploads.values()].map((u) => u.promise));
    if (this.syncing) await this.syncing;
    await this.saveLocal();
    await enqueue(this.rec);
    this.emit();
    requestBackgroundSync();
    if (navigator.onLine) await flushOutbox(handleOutboxEvent);
    await this.reload();
    return this.rec;
  }
}

/** The controller of draft `id` (loading it the first time). */
export function getDraft(id) {
  let c = controllers.get(id);
  if (!c) {
    c = new DraftController(id);
    controllers.set(id, c);
  }
  return c;
}

/** Subscribe a component to a draft. */
export function useDraft(id) {
  const ctrl = getDraft(id);
  const [, bump] = useState(0);
  const seen = ctrl.version;
  useEffect(() => {
    const fn = () => bump((n) => n + 1);
    ctrl.listeners.add(fn);
    if (ctrl.version !== seen) fn(); // it changed between render and subscription (IndexedDB is quick)
    return () => ctrl.listeners.delete(fn);
  }, [ctrl]);
  return ctrl;
}

/** Take a queued dossier out of the outbox to change it (only while it is not being sent). */
export async function unqueue(id) {
  await withOutboxLock(async () => {
    await idbDelete('outbox', id);
    const rec = await idbGet('drafts', id);
    if (rec) {
      rec.queued = false;
      await idbPut('drafts', rec);
    }
  });
  await getDraft(id).reload();
}

// ---- connection between the outbox, the service worker and the open pages ----

const outboxListeners = new Set();
export const onOutboxEvent = (fn) => (outboxListeners.add(fn), () => outboxListeners.delete(fn));

export function handleOutboxEvent(event) {
  const c = controllers.get(event.id);
  if (c) c.reload();
  // foreground: the citizen pressed "Gửi hồ sơ" and is watching this very dossier
  const e = { ...event, foreground: Boolean(c && c.sending) };
  outboxListeners.forEach((fn) => fn(e));
}

/** Ask the browser to wake the service worker when the network is back (Background Sync). */
export async function requestBackgroundSync() {
  try {
    const reg = await navigator.serviceWorker?.ready;
    if (reg && reg.sync) await reg.sync.register(SYNC_TAG);
  } catch {
    /* no Background Sync here: the 'online' event and the next app start send it */
  }
}

/** Send the outbox now (app start, 'online' event). */
export function flushNow() {
  if (!navigator.onLine) return Promise.resolve({ sent: 0, waiting: 0 });
  return flushOutbox(handleOutboxEvent).catch(() => ({ sent: 0, waiting: 1 }));
}

/** The network or the session is back: send the outbox, resume uploads and draft saving. */
export function resumeAll() {
  flushNow();
  for (const c of controllers.values()) {
    c.serverError = null;
    c.resume();
  }
}

export function saveAllNow() {
  for (const c of controllers.values()) if (c.localTimer) c.saveLocal();
}
