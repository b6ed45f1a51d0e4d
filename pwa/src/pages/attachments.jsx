// "/ho-so/<id>/giay-to" — one section per required document: take a photo or choose files; each file
// shows its own progress, can be retried on failure and removed.
import { useState } from 'preact/hooks';
import { t, tx, errorText } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { state } from '../lib/store.js';
import { ErrorMessage, ErrorSummary, Page } from '../components/ui.jsx';
import { useDraft } from '../offline/drafts.js';
import { DraftGate, SaveStatus, StepActions, neighbours, serverErrorFor, stepCaption } from './filing.jsx';

export const docSectionId = (docId) => `doc-${docId}`;

export function sizeText(bytes) {
  if (!bytes && bytes !== 0) return '';
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', state.lang === 'vi' ? ',' : '.')} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function FileRow({ ctrl, att }) {
  const pct = Math.round((att.progress || 0) * 100);
  let status;
  if (att.state === 'uploading') status = t('att.state.uploading', { p: pct });
  else if (att.state === 'failed') status = `${t('att.state.failed')}${att.error && (att.error.message || att.error.network) ? ': ' + errorText(att.error.network ? { network: true } : att.error) : ''}`;
  else status = t(`att.state.${att.state}`);
  return (
    <li class={`file file--${att.state}`} data-testid="attachment-row" data-state={att.state}>
      <div class="file__main">
        <p class="file__name">{att.filename}</p>
        <p class="file__status" id={`st-${att.id}`}>
          {status}
          {att.size ? ` · ${sizeText(att.size)}` : ''}
        </p>
        {(att.state === 'uploading' || att.state === 'processing') && (
          <progress class="progress" max="100" value={att.state === 'processing' ? undefined : pct} aria-labelledby={`st-${att.id}`} />
        )}
      </div>
      <div class="file__actions">
        {att.state === 'failed' && (
          <button type="button" class="button button--secondary button--small" aria-label={t('att.retry_label', { name: att.filename })} onClick={() => ctrl.upload(att.id)} data-testid="retry-upload">
            {t('retry')}
          </button>
        )}
        {att.state !== 'processing' && (
          <button type="button" class="link-button link-button--danger" aria-label={t('att.remove_label', { name: att.filename })} onClick={() => ctrl.removeAttachment(att.id)} data-testid="remove-attachment">
            {t('att.remove')}
          </button>
        )}
      </div>
    </li>
  );
}

export function docErrorText(err) {
  if (!err) return '';
  const name = err.filename || '';
  if (err.code === 'size') return t('att.err.size', { name, mb: Math.round(state.config.max_upload_bytes / 1024 / 1024) });
  if (err.code === 'type') return t('att.err.type', { name });
  return t('att.err.decode', { name });
}

const CAMERA = 'M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z';
const FILE = 'M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5L13 3.5zM11 12v3H8v2h3v3h2v-3h3v-2h-3v-3h-2z';

/** A button-looking label around a hidden file input: icon, words, and (for screen readers) which document. */
function FileButton({ icon, text, name, ...input }) {
  return (
    <label class="button button--secondary file-button">
      <input class="file-button__input" type="file" {...input} />
      <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path fill="currentColor" d={icon} />
      </svg>
      {text}
      <span class="visually-hidden"> {t('att.for', { name })}</span>
    </label>
  );
}

export function DocumentSection({ ctrl, doc, error }) {
  const rec = ctrl.rec;
  const files = rec.attachments.filter((a) => a.document_id === doc.id);
  const name = tx(doc);
  const id = docSectionId(doc.id);
  const pick = (e) => {
    const input = e.currentTarget;
    ctrl.addFiles(doc.id, input.files);
    input.value = ''; // the same photo can be chosen again after removing it
  };
  return (
    <section class={`doc${error ? ' form-group--error' : ''}`} aria-labelledby={`${id}-title`}>
      <h2 class="heading-s doc__title" id={`${id}-title`}>
        {name}
      </h2>
      <p class="doc__meta">
        <span>{t('att.kind', { kind: (state.lang === 'en' && doc.kind_label_en) || doc.kind_label_vi || doc.kind })}</span>
        <span>{t('att.count', { n: doc.count || 1 })}</span>
        <span class={doc.upload_required ? 'tag-required' : 'tag-optional'}>{doc.upload_required ? t('proc.required') : t('proc.optional')}</span>
      </p>
      {doc.note && <p class="hint">{doc.note}</p>}
      <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>
      <div class="doc__buttons">
        <FileButton icon={CAMERA} text={t('att.camera')} name={name} id={id} accept="image/*" capture="environment" onChange={pick} data-testid={`camera-input-${doc.id}`} />
        <FileButton icon={FILE} text={t('att.choose')} name={name} accept="image/jpeg,image/png,application/pdf" multiple onChange={pick} data-testid={`file-input-${doc.id}`} />
      </div>
      {files.length ? (
        <ul class="files" aria-live="polite">
          {files.map((a) => (
            <FileRow ctrl={ctrl} att={a} key={a.id} />
          ))}
        </ul>
      ) : (
        <p class="hint files__none">{t('att.none')}</p>
      )}
    </section>
  );
}

function Step({ ctrl, from }) {
  const rec = ctrl.rec;
  const { index, total, back, next } = neighbours(rec, 'docs', from);
  const [tried, setTried] = useState(0);
  const docs = rec.procedure.documents;
  const missing = (doc) => doc.upload_required && !rec.attachments.some((a) => a.document_id === doc.id);
  const errorFor = (doc) => {
    const local = ctrl.docErrors[doc.id];
    if (local) return docErrorText(local);
    if (tried && missing(doc)) return t('att.missing', { name: tx(doc) });
    return missing(doc) ? serverErrorFor(rec, `documents.${doc.id}`) : '';
  };
  const summary = docs.filter((d) => errorFor(d)).map((d) => ({ href: `#${docSectionId(d.id)}`, text: errorFor(d) }));
  const submit = (e) => {
    e.preventDefault();
    setTried((n) => n + 1);
    if (docs.some(missing)) return;
    navigate(next);
  };
  return (
    <Page title={t('att.title')} caption={stepCaption(rec, index, total)} back={back}>
      <ErrorSummary errors={tried ? summary : []} attempt={tried} />
      <p class="body">{t('att.lead')}</p>
      {docs.map((d) => (
        <DocumentSection ctrl={ctrl} doc={d} key={d.id} error={errorFor(d)} />
      ))}
      <form onSubmit={submit} noValidate>
        <StepActions />
      </form>
      <SaveStatus ctrl={ctrl} />
    </Page>
  );
}

export function Attachments({ params, query }) {
  const ctrl = useDraft(params.id);
  return <DraftGate ctrl={ctrl}>{() => <Step ctrl={ctrl} from={query.get('from')} />}</DraftGate>;
}
