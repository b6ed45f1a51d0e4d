// Photos are shrunk on the phone before upload: a 12 MB camera picture must not cross 3G as is.
// Longest side ≤ 1600 px, JPEG quality 0.8 — still readable for an ID card or a certificate.

export const MAX_SIDE = 1600;
export const JPEG_QUALITY = 0.8;
export const ACCEPTED = ['image/jpeg', 'image/png', 'application/pdf'];

export class FileRejected extends Error {
  constructor(code, extra) {
    super(code);
    this.code = code; // 'type' | 'size' | 'decode'
    this.extra = extra;
  }
}

function baseName(name) {
  const n = (name || 'anh').replace(/\.[^.]+$/, '');
  return n || 'anh';
}

async function toBlob(canvas, type, quality) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type, quality });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob'))), type, quality),
  );
}

async function decode(file) {
  if (typeof createImageBitmap === 'function') {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      /* fall through to <img> (older Safari) */
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Returns { blob, filename, type } ready to upload, or throws FileRejected.
 * PDFs pass as they are; images larger than MAX_SIDE, heavier than 1 MB, or in another format (HEIC…)
 * are redrawn as JPEG.
 */
export async function prepareFile(file, maxBytes) {
  const type = file.type || '';
  if (type === 'application/pdf') {
    if (maxBytes && file.size > maxBytes) throw new FileRejected('size');
    return { blob: file, filename: file.name || 'tai-lieu.pdf', type };
  }
  if (!type.startsWith('image/')) throw new FileRejected('type');
  let source;
  try {
    source = await decode(file);
  } catch {
    throw new FileRejected(ACCEPTED.includes(type) ? 'decode' : 'type');
  }
  const w = source.width;
  const h = source.height;
  const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
  const keep = scale === 1 && ACCEPTED.includes(type) && file.size <= 1024 * 1024;
  let result;
  if (keep) {
    result = { blob: file, filename: file.name || `anh.${type === 'image/png' ? 'png' : 'jpg'}`, type };
  } else {
    const cw = Math.max(1, Math.round(w * scale));
    const ch = Math.max(1, Math.round(h * scale));
    const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(cw, ch) : Object.assign(document.createElement('canvas'), { width: cw, height: ch });
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; // transparent PNG areas become white, not black, in JPEG
    ctx.fillRect(0, 0, cw, ch);
    ctx.drawImage(source, 0, 0, cw, ch);
    const blob = await toBlob(canvas, 'image/jpeg', JPEG_QUALITY);
    result = { blob, filename: `${baseName(file.name)}.jpg`, type: 'image/jpeg' };
  }
  if (source.close) source.close();
  if (maxBytes && result.blob.size > maxBytes) throw new FileRejected('size');
  return result;
}
