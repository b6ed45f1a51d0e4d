// pdf.js, only for the signing page (its own lazy chunk; its worker is a separate file, not precached).
// It draws the bytes the page already holds and hashed — it never fetches the document itself.
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?worker&url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Opens a copy of `bytes` (pdf.js hands its input to the worker, which would empty the original). */
export function openPdf(bytes) {
  return getDocument({
    data: bytes.slice(),
    isEvalSupported: false, // the CSP forbids eval; say so instead of tripping over it
    enableXfa: false,
    useWasm: false,
    disableAutoFetch: true,
  }).promise;
}

/** Draws page `n` to fit `cssWidth` CSS pixels (sharp up to 2× screens). Resolves when drawn. */
export async function renderPage(pdf, n, canvas, cssWidth) {
  const page = await pdf.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const scale = cssWidth / base.width;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
  const ctx = canvas.getContext('2d');
  await page.render({ canvas, canvasContext: ctx, viewport }).promise;
  page.cleanup();
}
