// Attachment uploads with progress events (fetch has no upload progress), same CSRF rules as api.js.
//
// Two ways, chosen by GET /config's `direct_uploads` (the caller passes it as `direct`):
// - false (embedded server): one multipart POST /dossiers/<id>/attachments through the API;
// - true (AWS: API Gateway caps a request at 6 MB): POST …/attachments/upload-form for a presigned form, a
//   multipart POST of the form's fields then the file straight to storage (no cookies, no CSRF header: another
//   origin), then POST …/attachments/complete {key}, which checks the file and attaches it. The form is asked for
//   with the attachment's Idempotency-Key, so a retry gets the same form (and the same attachment id). A form
//   replayed from an earlier attempt may have expired (storage answers 403): then complete is tried first (the
//   earlier attempt may have uploaded the file already and only lost the reply), and only if the file never
//   arrived (409 upload_missing) a fresh form is asked for, once.
import { API, ApiError, csrfHeader, fetchSession, post, uuid } from './api.js';

function xhrPost(url, form, headers, onProgress, signal, parse) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = parse ? parse(xhr.responseText) : null;
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body, Number(xhr.getResponseHeader('Retry-After')) || undefined));
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.ontimeout = () => reject(new ApiError(0, null));
    if (signal) {
      if (signal.aborted) return reject(new DOMException('Aborted', 'AbortError'));
      signal.addEventListener('abort', () => {
        xhr.abort();
        reject(new DOMException('Aborted', 'AbortError'));
      });
    }
    xhr.send(form);
  });
}

function parseJson(text) {
  try {
    return JSON.parse(text || 'null');
  } catch {
    return null;
  }
}

function send(path, form, key, onProgress, signal) {
  return csrfHeader().then((csrf) => {
    const headers = { Accept: 'application/json', 'X-CSRF-Token': csrf['X-CSRF-Token'] };
    if (key) headers['Idempotency-Key'] = key;
    return xhrPost(API + path, form, headers, onProgress, signal, parseJson); // same origin: cookies go anyway
  });
}

async function throughApi(dossierId, { blob, filename, documentId, key }, onProgress, signal) {
  const form = new FormData();
  form.append('document_id', documentId);
  form.append('file', blob, filename);
  const path = `/dossiers/${encodeURIComponent(dossierId)}/attachments`;
  try {
    return await send(path, form, key, onProgress, signal);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403 && e.code === 'csrf_failed') {
      await fetchSession();
      return send(path, form, key, onProgress, signal);
    }
    throw e;
  }
}

/** The presigned POST: every field of the form first, the file last (storage ignores fields after the file). */
export function toStorage(form, blob, filename, onProgress, signal) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', blob, filename);
  return xhrPost(form.url, body, {}, onProgress, signal, null);
}

async function straightToStorage(dossierId, { blob, filename, documentId, key }, onProgress, signal) {
  const base = `/dossiers/${encodeURIComponent(dossierId)}/attachments`;
  const ask = (idempotencyKey) =>
    post(`${base}/upload-form`, { document_id: documentId, filename, content_type: blob.type, size: blob.size }, { idempotencyKey, signal });
  const complete = (form) => post(`${base}/complete`, { key: form.key }, { signal });
  let form = await ask(key);
  try {
    await toStorage(form, blob, filename, onProgress, signal);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403) throw e;
    try {
      return await complete(form); // uploaded on an earlier attempt whose reply was lost
    } catch (missing) {
      if (!(missing instanceof ApiError) || missing.code !== 'upload_missing') throw missing;
    }
    form = await ask(uuid());
    await toStorage(form, blob, filename, onProgress, signal);
  }
  return complete(form);
}

/** Upload one file and attach it to a document of the dossier; resolves to the Attachment JSON. */
export function uploadAttachment(dossierId, { blob, filename, documentId, key, direct = false }, onProgress, signal) {
  const upload = direct ? straightToStorage : throughApi;
  return upload(dossierId, { blob, filename, documentId, key }, onProgress, signal);
}
