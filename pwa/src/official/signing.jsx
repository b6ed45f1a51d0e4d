// "/can-bo/ky/<id>" and "/can-bo/ky?ids=a,b,c" — a leader reads and signs results on the phone.
// Each result-preview.pdf is fetched ONCE; those bytes are hashed here (crypto.subtle) and must match the
// server's X-Content-SHA256; the same bytes are drawn by pdf.js (or opened from a blob: URL), and their hash
// is what the passkey signs (signing/options → navigator.credentials.get → signing/complete).
import { useEffect, useRef, useState } from 'preact/hooks';
import { API, ApiError, get, post } from '../lib/api.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { Alert, Loading, Page } from '../components/ui.jsx';
import { handleAuthError, passkeyErrorText, stageLabel, useChallenge, useOfficial } from './common.jsx';
import { canDigest, sameHash, sha256Hex } from './digest.js';
import { hasRole, signingIds } from './logic.js';
import { usePasskey } from './webauthn.js';

async function fetchPreview(id) {
  let res;
  try {
    res = await fetch(`${API}/work/dossiers/${encodeURIComponent(id)}/result-preview.pdf`, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/pdf' },
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    throw new ApiError(res.status, body);
  }
  const header = res.headers.get('X-Content-SHA256');
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, header };
}

/** One document of the batch: its dossier, its bytes, and whether those bytes may be signed. */
async function loadDoc(id) {
  const doc = { id, status: 'error', dossier: null, bytes: null, sha256: '', url: '', error: '' };
  try {
    const [dossier, preview] = await Promise.all([get(`/work/dossiers/${encodeURIComponent(id)}`).catch((e) => (handleAuthError(e), null)), fetchPreview(id)]);
    doc.dossier = dossier;
    doc.bytes = preview.bytes;
    doc.url = URL.createObjectURL(new Blob([preview.bytes], { type: 'application/pdf' }));
    if (!canDigest()) {
      doc.error = t('sign.no_crypto');
      return doc;
    }
    doc.sha256 = await sha256Hex(preview.bytes);
    if (!preview.header) doc.error = t('sign.hash_missing');
    else if (!sameHash(preview.header, doc.sha256)) doc.error = t('sign.hash_bad');
    else doc.status = 'ready';
  } catch (e) {
    if (handleAuthError(e)) return doc;
    doc.error = errorText(e);
  }
  return doc;
}

function Viewer({ doc }) {
  const canvas = useRef(null);
  const box = useRef(null);
  const [pdf, setPdf] = useState(null);
  const [page, setPage] = useState(1);
  const [drawing, setDrawing] = useState(true);
  const [failed, setFailed] = useState(false);
  const code = (doc.dossier && doc.dossier.code) || doc.id;

  useEffect(() => {
    let live = true;
    let opened = null;
    setPdf(null);
    setPage(1);
    setFailed(false);
    setDrawing(true);
    import('./pdf-view.js')
      .then((m) => m.openPdf(doc.bytes))
      .then(
        (p) => {
          opened = p;
          if (live) setPdf(p);
          else p.destroy();
        },
        () => live && setFailed(true),
      );
    return () => {
      live = false;
      if (opened) opened.destroy();
    };
  }, [doc.id]);

  useEffect(() => {
    if (!pdf || !canvas.current) return undefined;
    let live = true;
    setDrawing(true);
    import('./pdf-view.js')
      .then((m) => m.renderPage(pdf, page, canvas.current, Math.max(200, box.current.clientWidth)))
      .then(
        () => live && setDrawing(false),
        () => live && setFailed(true),
      );
    return () => {
      live = false;
    };
  }, [pdf, page]);

  const total = pdf ? pdf.numPages : 0;
  return (
    <div class="viewer" data-testid="pdf-viewer" data-state={failed ? 'failed' : pdf && !drawing ? 'shown' : 'loading'}>
      <div class="viewer__page" ref={box}>
        {!failed && (
          <canvas
            class="viewer__canvas"
            ref={canvas}
            role="img"
            aria-label={total ? t('sign.canvas_label', { n: page, total, code }) : t('sign.rendering')}
            data-testid="pdf-canvas"
          />
        )}
        {!failed && drawing && (
          <p class="viewer__status" role="status">
            {t('sign.rendering')}
          </p>
        )}
        {failed && (
          <div class="notice notice--info" role="status">
            <p>{t('sign.no_render')}</p>
          </div>
        )}
      </div>
      {total > 1 && !failed && (
        <div class="viewer__nav">
          <button type="button" class="button button--secondary button--small" disabled={page <= 1 || drawing} onClick={() => setPage(page - 1)}>
            {t('sign.prev')}
          </button>
          <span class="viewer__count" aria-live="polite">
            {t('sign.page', { n: page, total })}
          </span>
          <button type="button" class="button button--secondary button--small" disabled={page >= total || drawing} onClick={() => setPage(page + 1)} data-testid="next-page">
            {t('sign.next')}
          </button>
        </div>
      )}
      <p class="viewer__open">
        <a href={doc.url} target="_blank" rel="noopener" data-testid="open-pdf">
          {t('sign.open')} {code}
        </a>
      </p>
    </div>
  );
}

function DocRow({ doc, viewing, onView, result }) {
  const d = doc.dossier;
  const code = (d && d.code) || doc.id;
  return (
    <li class="sign-doc" data-testid="sign-doc" data-id={doc.id} data-status={doc.status}>
      <p class="sign-doc__top">
        <span class="code">{code}</span>{' '}
        {result ? (
          <strong class={`chip ${result.status === 'signed' ? 'chip--green' : 'chip--red'}`} data-testid="sign-result" data-status={result.status} data-code={code}>
            {result.status === 'signed' ? t('sign.signed') : t('sign.failed')}
          </strong>
        ) : doc.status === 'loading' ? (
          <span class="muted">{t('sign.loading')}</span>
        ) : doc.status === 'ready' ? (
          <strong class="chip chip--blue">{t('sign.ready')}</strong>
        ) : (
          <strong class="chip chip--red">{t('sign.failed')}</strong>
        )}
      </p>
      {d && (
        <p class="sign-doc__title">
          {tx(d.procedure)}
          {d.form && d.form.applicant_name ? ` — ${d.form.applicant_name}` : ''}
          {d.stage && d.stage !== 'approval' ? <span class="muted"> · {stageLabel(d)}</span> : null}
        </p>
      )}
      {result && result.status !== 'signed' && result.error && <p class="error-message">{result.error.message || result.error.code}</p>}
      {!result && doc.error && <p class="error-message">{doc.error}</p>}
      {doc.sha256 && (
        <p class="sign-doc__hash">
          <span class="muted">{t('sign.hash')}: </span>
          <span class="code hash" data-testid="doc-sha256">
            {doc.sha256}
          </span>
        </p>
      )}
      {doc.bytes && onView && (
        <button type="button" class="button button--secondary button--small" aria-pressed={viewing ? 'true' : 'false'} onClick={() => onView(doc.id)}>
          {viewing ? t('sign.viewing') : t('sign.view')}
          <span class="visually-hidden"> {code}</span>
        </button>
      )}
    </li>
  );
}

function SigningView({ ids, user }) {
  const [docs, setDocs] = useState(() => ids.map((id) => ({ id, status: 'loading', error: '', dossier: null, bytes: null, sha256: '', url: '' })));
  const [viewing, setViewing] = useState(ids[0] || '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const [results, setResults] = useState(null);
  const resultsRef = useRef(null);
  const leader = hasRole(user, 'leader');

  useEffect(() => {
    let live = true;
    const urls = [];
    ids.forEach((id) =>
      loadDoc(id).then((doc) => {
        if (doc.url) urls.push(doc.url);
        if (live) setDocs((xs) => xs.map((x) => (x.id === id ? doc : x)));
      }),
    );
    return () => {
      live = false;
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [ids.join(',')]);

  const loaded = docs.every((x) => x.status !== 'loading');
  const ready = docs.filter((x) => x.status === 'ready');
  const items = ready.map((x) => ({ dossier_id: x.id, sha256: x.sha256 }));
  const itemsKey = items.map((x) => `${x.dossier_id}:${x.sha256}`).join(',');
  // the challenge binds these very hashes; it is asked for before the tap (see useChallenge)
  const challenge = useChallenge(() => post('/work/signing/options', { items }).then((reply) => ({ ...reply, items })), [itemsKey], loaded && items.length > 0 && leader);

  useEffect(() => {
    if (results && resultsRef.current) resultsRef.current.focus();
  }, [results]);

  const sign = async () => {
    setBusy(true);
    setFailure('');
    try {
      const prepared = await challenge.take();
      const credential = await usePasskey(prepared.options);
      const reply = await post('/work/signing/complete', { challenge_id: prepared.challenge_id, credential, items: prepared.items });
      setResults(reply.results || []);
    } catch (e) {
      if (handleAuthError(e)) return;
      setFailure(passkeyErrorText(e, 'sign.cancelled'));
      challenge.refresh();
    }
    setBusy(false);
  };

  const resultFor = (id) => results && results.find((r) => r.dossier_id === id);
  const shown = docs.find((x) => x.id === viewing && x.bytes) || docs.find((x) => x.bytes);
  const failedCount = loaded ? docs.length - ready.length : 0;
  const signedCount = results ? results.filter((r) => r.status === 'signed').length : 0;
  const title = ids.length > 1 ? t('sign.title_n', { n: ids.length }) : t('sign.title');

  return (
    <Page title={title} caption={t('off.caption')} back="/can-bo/ho-so">
      {results ? (
        <div class={`notice ${signedCount === results.length ? 'notice--success' : 'notice--error'}`} role="status" tabIndex={-1} ref={resultsRef} data-testid="sign-summary">
          <h2 class="notice__title">{t('sign.results')}</h2>
          <p>{t('sign.summary', { ok: signedCount, n: docs.length })}</p>
        </div>
      ) : (
        <p class="body">{t('sign.lead')}</p>
      )}
      {!leader && (
        <div class="notice notice--error" role="alert">
          <p>{t('sign.not_leader')}</p>
        </div>
      )}
      <Alert testid="sign-error">{failure}</Alert>
      {!results && shown && <Viewer doc={shown} key={shown.id} />}
      <h2 class="heading-m">{t('sign.docs')}</h2>
      <ul class="sign-docs">
        {docs.map((doc) => (
          <DocRow doc={doc} key={doc.id} viewing={shown && shown.id === doc.id} onView={!results && docs.length > 1 ? setViewing : null} result={resultFor(doc.id) || (results && doc.status !== 'ready' ? { status: 'failed', error: { message: doc.error } } : null)} />
        ))}
      </ul>
      {results || (loaded && !items.length) ? (
        <button type="button" class="button" onClick={() => navigate('/can-bo/ho-so')} data-testid="back-to-worklist">
          {t('sign.back')}
        </button>
      ) : (
        <div class="action-bar">
          {failedCount > 0 && items.length > 0 && <p class="action-bar__note">{t('sign.skip', { n: failedCount })}</p>}
          <button type="button" class="button button--start action-bar__button" data-testid="sign-button" disabled={!loaded || !items.length || busy || !leader} onClick={sign}>
            {busy ? t('sign.busy') : items.length > 1 ? t('sign.button_n', { n: items.length }) : t('sign.button')}
          </button>
        </div>
      )}
    </Page>
  );
}

export function Signing({ params, query }) {
  const user = useOfficial();
  const ids = signingIds(query.get('ids'), params.id);
  if (!user) return <Loading />;
  if (!ids.length) {
    return (
      <Page title={t('sign.title')} back="/can-bo/ho-so">
        <p class="body">{t('sign.none')}</p>
      </Page>
    );
  }
  return <SigningView ids={ids} user={user} key={ids.join(',')} />;
}
