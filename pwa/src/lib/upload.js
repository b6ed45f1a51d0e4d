// Multipart upload with progress events (fetch has no upload progress), same CSRF rules as api.js.
import { API, ApiError, csrfHeader, fetchSession } from './api.js';

function send(path, form, key, onProgress, signal) {
  return csrfHeader().then(
    (csrf) =>
      new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', API + path);
        xhr.withCredentials = false; // same origin: cookies go anyway
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.setRequestHeader('X-CSRF-Token', csrf['X-CSRF-Token']);
        if (key) xhr.setRequestHeader('Idempotency-Key', key);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
        };
        xhr.onload = () => {
          let body = null;
          try {
            body = JSON.parse(xhr.responseText || 'null');
          } catch {
            body = null;
          }
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
      }),
  );
}

/** POST /dossiers/<id>/attachments; resolves to the Attachment JSON. */
export async function uploadAttachment(dossierId, { blob, filename, documentId, key }, onProgress, signal) {
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
