// On "/ho-so/<id>" when the authority asked for more papers (status supplement_requested): what is missing
// and why, the slip, and "Nộp bổ sung" — files per missing item (the same document sections as the filing
// step; uploads go to the dossier's attachments endpoint, accepted in this status), then POST /resubmit.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, isNetworkError, post, uuid } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { FileRejected, prepareFile } from '../lib/image.js';
import { state, useAppState } from '../lib/store.js';
import { documentFor, uploadedSince } from '../lib/supplement.js';
import { uploadAttachment } from '../lib/upload.js';
import { Alert, ErrorSummary, FormGroup } from '../components/ui.jsx';
import { DocumentSection, docErrorText, docSectionId } from './attachments.jsx';

const itemKey = (i) => `sup-${i}`;
const RESUBMIT_KEY = 'motcua.resubmit.';

/** The subset of the draft controller that DocumentSection uses, for files added to a sent dossier. */
class SupplementFiles {
  constructor(dossierId, itemDocs, existing) {
    this.dossierId = dossierId;
    this.itemDocs = itemDocs; // item key → procedure document id
    this.rec = { attachments: [] };
    for (const [key, list] of Object.entries(existing)) {
      for (const a of list) this.rec.attachments.push({ id: 'srv-' + a.id, serverId: a.id, document_id: key, filename: a.filename, content_type: a.content_type, size: a.size, state: 'done', progress: 1, error: null });
    }
    this.docErrors = {};
    this.blobs = new Map();
    this.uploads = new Map();
    this.listeners = new Set();
  }

  emit() {
    this.listeners.forEach((fn) => fn());
  }

  attachment(id) {
    return this.rec.attachments.find((a) => a.id === id);
  }

  async addFiles(key, files) {
    for (const file of Array.from(files || [])) {
      const att = { id: uuid(), document_id: key, filename: file.name || 'anh.jpg', content_type: file.type, size: file.size, state: 'processing', progress: 0, key: uuid(), error: null, serverId: null };
      this.rec.attachments.push(att);
      delete this.docErrors[key];
      this.emit();
      try {
        const prepared = await prepareFile(file, state.config.max_upload_bytes);
        this.blobs.set(att.id, prepared.blob);
        Object.assign(att, { filename: prepared.filename, content_type: prepared.type, size: prepared.blob.size, state: 'pending' });
      } catch (e) {
        this.rec.attachments = this.rec.attachments.filter((a) => a.id !== att.id);
        this.docErrors[key] = { code: e instanceof FileRejected ? e.code : 'decode', filename: file.name };
        this.emit();
        continue;
      }
      this.emit();
      this.upload(att.id);
    }
  }

  upload(attId) {
    const att = this.attachment(attId);
    if (!att || att.serverId || this.uploads.has(attId)) return;
    if (!navigator.onLine || !this.itemDocs[att.document_id]) {
      // offline, or the citizen has not said which listed document it is yet: it waits
      att.state = 'pending';
      this.emit();
      return;
    }
    Object.assign(att, { state: 'uploading', progress: 0, error: null });
    this.emit();
    const abort = new AbortController();
    const promise = uploadAttachment(
      this.dossierId,
      { blob: this.blobs.get(attId), filename: att.filename, documentId: this.itemDocs[att.document_id], key: att.key, direct: state.config.direct_uploads === true },
      (p) => {
        att.progress = p;
        this.emit();
      },
      abort.signal,
    )
      .then((res) => {
        Object.assign(att, { serverId: res.id, state: 'done', progress: 1 });
        this.blobs.delete(attId);
        if (!this.attachment(attId)) return del(`/dossiers/${encodeURIComponent(this.dossierId)}/attachments/${encodeURIComponent(res.id)}`).catch(() => {});
        return null;
      })
      .catch((e) => {
        if (e && e.name === 'AbortError') return;
        att.state = isNetworkError(e) && !navigator.onLine ? 'pending' : 'failed';
        att.error = e instanceof ApiError ? { message: e.messageVi, message_en: e.messageEn, network: e.network } : { message: '', network: true };
      })
      .finally(() => {
        this.uploads.delete(attId);
        this.emit();
      });
    this.uploads.set(attId, { promise, abort });
  }

  async removeAttachment(attId) {
    const att = this.attachment(attId);
    if (!att) return;
    const running = this.uploads.get(attId);
    if (running) running.abort.abort();
    this.rec.attachments = this.rec.attachments.filter((a) => a.id !== attId);
    this.blobs.delete(attId);
    this.emit();
    if (att.serverId) await del(`/dossiers/${encodeURIComponent(this.dossierId)}/attachments/${encodeURIComponent(att.serverId)}`).catch(() => {});
  }

  resume() {
    for (const a of this.rec.attachments) if (a.state === 'pending') this.upload(a.id);
  }

  get busy() {
    return this.rec.attachments.some((a) => a.state === 'uploading' || a.state === 'processing');
  }
}

function resubmitKey(id) {
  try {
    let key = sessionStorage.getItem(RESUBMIT_KEY + id);
    if (!key) sessionStorage.setItem(RESUBMIT_KEY + id, (key = uuid()));
    return key;
  } catch {
    return uuid();
  }
}

function SupplementForm({ d, items, documents, onUpdated }) {
  const s = useAppState();
  const [itemDocs, setItemDocs] = useState(() => Object.fromEntries(items.map((m, i) => [itemKey(i), documentFor(m, documents)])));
  const [ctrl] = useState(() => new SupplementFiles(d.id, itemDocs, uploadedSince(d.attachments, d.supplement_request.requested_at, itemDocs)));
  const [, bump] = useState(0);
  const [tried, setTried] = useState(0);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState('');
  useEffect(() => {
    const fn = () => bump((n) => n + 1);
    ctrl.listeners.add(fn);
    const online = () => ctrl.resume();
    window.addEventListener('online', online);
    return () => {
      ctrl.listeners.delete(fn);
      window.removeEventListener('online', online);
    };
  }, []);
  const choose = (key, docId) => {
    const next = { ...itemDocs, [key]: docId };
    ctrl.itemDocs = next;
    setItemDocs(next);
    ctrl.resume();
  };

  const problem = (m, i) => {
    const key = itemKey(i);
    if (!itemDocs[key]) return { href: `#doc-type-${key}`, text: t('sup.doc_type_required', { name: m.name }) };
    const local = ctrl.docErrors[key];
    if (local) return { href: `#${docSectionId(key)}`, text: docErrorText(local) };
    if (tried && !ctrl.rec.attachments.some((a) => a.document_id === key && a.state === 'done')) return { href: `#${docSectionId(key)}`, text: t('att.missing', { name: m.name }) };
    return null;
  };
  const problems = items.map(problem).filter(Boolean);

  const send = async (e) => {
    e.preventDefault();
    setTried((n) => n + 1);
    setFailure('');
    const missing = items.some((m, i) => !itemDocs[itemKey(i)] || !ctrl.rec.attachments.some((a) => a.document_id === itemKey(i) && a.state === 'done'));
    if (missing || ctrl.busy) return;
    setSending(true);
    try {
      const next = await post(`/dossiers/${encodeURIComponent(d.id)}/resubmit`, {}, { idempotencyKey: resubmitKey(d.id) });
      try {
        sessionStorage.removeItem(RESUBMIT_KEY + d.id);
      } catch {
        /* ignore */
      }
      onUpdated(next, t('sup.sent'));
    } catch (err) {
      setFailure(errorText(err));
      setSending(false);
    }
  };

  return (
    <form class="supplement-form" onSubmit={send} noValidate aria-labelledby="sup-form-title">
      <h2 class="heading-m" id="sup-form-title">
        {t('sup.form_title')}
      </h2>
      <ErrorSummary errors={tried ? problems : []} attempt={tried} />
      <Alert>{failure}</Alert>
      {!s.online && (
        <div class="notice notice--queued" role="status">
          <p>{t('sup.offline')}</p>
        </div>
      )}
      <p class="body">{t('sup.form_lead')}</p>
      {items.map((m, i) => {
        const key = itemKey(i);
        const p = problem(m, i);
        const needsChoice = !documentFor(m, documents);
        return (
          <div key={key}>
            {needsChoice && (
              <FormGroup id={`doc-type-${key}`} label={`${m.name}: ${t('sup.doc_type')}`} error={tried > 0 && !itemDocs[key] ? t('sup.doc_type_required', { name: m.name }) : ''}>
                {(aria) => (
                  <select class="select" {...aria} value={itemDocs[key]} onChange={(e) => choose(key, e.currentTarget.value)}>
                    <option value="">{t('sup.choose_doc')}</option>
                    {documents.map((doc) => (
                      <option value={doc.id} key={doc.id}>
                        {tx(doc)}
                      </option>
                    ))}
                  </select>
                )}
              </FormGroup>
            )}
            <DocumentSection
              ctrl={ctrl}
              doc={{ id: key, name: m.name, kind: m.kind, kind_label_vi: t(`kind.${m.kind}`), count: 1, upload_required: true, note: m.reason ? t('sup.reason', { reason: m.reason }) : '' }}
              error={p && p.href === `#${docSectionId(key)}` ? p.text : ''}
            />
          </div>
        );
      })}
      <div class="button-group">
        <button type="submit" class="button" data-testid="resubmit-button" disabled={sending || ctrl.busy}>
          {sending ? t('sup.sending') : t('sup.send')}
        </button>
      </div>
      <p class="body" role="status" aria-live="polite">
        {sending ? t('sup.sending') : ctrl.busy ? t('att.uploading_wait') : ''}
      </p>
    </form>
  );
}

/** The request (shown while supplement_requested) and, under it, the files to send and "Gửi bổ sung". */
export function SupplementPanel({ d, documents, onUpdated }) {
  const sr = d.supplement_request;
  const items = (sr && sr.missing) || [];
  const slip = (sr && sr.slip_url) || `/api/v1/dossiers/${encodeURIComponent(d.id)}/documents/supplement.pdf`;
  return (
    <>
      <div class="notice notice--queued" data-testid="supplement-request">
        <h2 class="notice__title">{t('sup.title')}</h2>
        <p>{t('sup.lead')}</p>
        {items.length > 0 && (
          <ul class="list supplement-list">
            {items.map((m, i) => (
              <li key={i} data-testid="supplement-item">
                <strong>{m.name}</strong>
                <br />
                <span>{t('sup.kind', { kind: t(`kind.${m.kind}`) })}</span>
                {m.reason && (
                  <>
                    <br />
                    <span>{t('sup.reason', { reason: m.reason })}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {sr && sr.note && (
          <p>
            <strong>{t('sup.note')}:</strong> {sr.note}
          </p>
        )}
        {sr && sr.requested_at && <p>{t('sup.requested', { date: formatDateTime(sr.requested_at) })}</p>}
        <p>
          <a href={slip} download data-testid="supplement-slip">
            {t('sup.slip')}
          </a>
        </p>
      </div>
      {items.length > 0 && <SupplementForm d={d} items={items} documents={documents} onUpdated={onUpdated} />}
    </>
  );
}
