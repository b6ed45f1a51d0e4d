// Writes the app icons (plain PNGs, no dependencies) into public/icons/.
// Run `npm run icons` after changing the drawing; the PNGs are committed so the build needs nothing.
// The drawing: a white dossier sheet with text lines and a green tick, on the service's dark blue.
// The notification badge (badge-72.png) is the same sheet and tick as a white silhouette on transparent:
// Android shows only its alpha channel, in the status bar.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../public/icons/', import.meta.url));
const BLUE = [11, 58, 110];
const WHITE = [255, 255, 255];
const LINE = [120, 138, 160];
const GREEN = [0, 112, 60];
const YELLOW = [255, 205, 0];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const distToSegment = (x, y, ax, ay, bx, by) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};

// Colour of the unit square point (u, v), or null for transparent. `k` scales the emblem (maskable: smaller).
function paint(u, v, { maskable }) {
  const bg = maskable ? true : inRoundRect(u, v, 0, 0, 1, 1, 0.18);
  if (!bg) return null;
  const k = maskable ? 0.72 : 0.92;
  const x = (u - 0.5) / k + 0.5;
  const y = (v - 0.5) / k + 0.5;
  // yellow band at the foot of the emblem, as on official letterheads
  if (y > 0.84 && y < 0.88 && x > 0.22 && x < 0.78) return YELLOW;
  if (inRoundRect(x, y, 0.24, 0.14, 0.76, 0.8, 0.04)) {
    for (const [ly, lx1] of [[0.27, 0.66], [0.37, 0.66], [0.47, 0.56]]) {
      if (inRoundRect(x, y, 0.33, ly - 0.022, lx1, ly + 0.022, 0.02)) return LINE;
    }
    const cx = 0.6, cy = 0.64, r = 0.13;
    if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) {
      const d = Math.min(distToSegment(x, y, 0.545, 0.645, 0.585, 0.69), distToSegment(x, y, 0.585, 0.69, 0.665, 0.595));
      return d < 0.022 ? WHITE : GREEN;
    }
    return WHITE;
  }
  return BLUE;
}

// Badge: the sheet with its lines cut out, and the tick disc (tick cut out) set apart from it by a clear ring.
function paintBadge(u, v) {
  const x = (u - 0.5) / 0.96 + 0.5;
  const y = (v - 0.5) / 0.96 + 0.5;
  const cx = 0.68, cy = 0.7, r = 0.22;
  const d2 = (x - cx) ** 2 + (y - cy) ** 2;
  if (d2 <= r * r) {
    const d = Math.min(distToSegment(x, y, 0.585, 0.705, 0.65, 0.77), distToSegment(x, y, 0.65, 0.77, 0.78, 0.625));
    return d < 0.04 ? null : WHITE;
  }
  if (d2 <= (r + 0.06) ** 2) return null;
  if (inRoundRect(x, y, 0.16, 0.06, 0.7, 0.9, 0.05)) {
    for (const [ly, lx1] of [[0.22, 0.58], [0.36, 0.58], [0.5, 0.46]]) {
      if (inRoundRect(x, y, 0.27, ly - 0.035, lx1, ly + 0.035, 0.03)) return null;
    }
    return WHITE;
  }
  return null;
}

function draw(size, opts, painter = paint) {
  const ss = 4; // supersampling for smooth edges
  const buf = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = painter((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, opts);
          if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
        }
      }
      const i = (py * size + px) * 4;
      if (a) { buf[i] = r / a; buf[i + 1] = g / a; buf[i + 2] = b / a; }
      buf[i + 3] = Math.round((a / (ss * ss)) * 255);
    }
  }
  return png(size, buf);
}

mkdirSync(OUT, { recursive: true });
for (const size of [192, 512]) {
  writeFileSync(`${OUT}icon-${size}.png`, draw(size, { maskable: false }));
  writeFileSync(`${OUT}maskable-${size}.png`, draw(size, { maskable: true }));
}
writeFileSync(`${OUT}apple-touch-icon.png`, draw(180, { maskable: true }));
writeFileSync(`${OUT}badge-72.png`, draw(72, {}, paintBadge));
console.log('icons written to', OUT);
