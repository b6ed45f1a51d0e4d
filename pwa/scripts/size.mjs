// Prints the gzipped size of what the first load downloads: the JS and CSS that dist/index.html references
// (entry script, its modulepreloads, stylesheets). Fails when the total passes the 100 KB budget.
// The service worker is listed apart: it is fetched by the browser in the background, not by the page.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const BUDGET = 100 * 1024;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/index.html not found: run `npm run build` first');
  process.exit(1);
}
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const refs = new Set();
for (const m of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/?([^"]+\.(?:js|css))"/g)) refs.add(m[1]);

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = gz(join(dist, 'index.html'));
console.log(`first load (gzip -9):`);
console.log(`  ${'index.html'.padEnd(40)} ${kb(total).padStart(9)}`);
let assets = 0;
for (const ref of [...refs].sort()) {
  const size = gz(join(dist, ref));
  assets += size;
  console.log(`  ${ref.padEnd(40)} ${kb(size).padStart(9)}`);
}
total += assets;
console.log(`  ${'JS + CSS'.padEnd(40)} ${kb(assets).padStart(9)}  (budget ${kb(BUDGET)})`);
console.log(`  ${'total with HTML'.padEnd(40)} ${kb(total).padStart(9)}`);
const others = readdirSync(join(dist, 'assets')).filter((f) => !refs.has(`assets/${f}`));
if (others.length) {
  console.log(`lazy chunks (fetched only by the pages that need them):`);
  for (const f of others.sort()) console.log(`  ${('assets/' + f).padEnd(40)} ${kb(gz(join(dist, 'assets', f))).padStart(9)}`);
}
if (existsSync(join(dist, 'sw.js'))) console.log(`service worker: sw.js ${kb(gz(join(dist, 'sw.js')))} (background, not part of the first load)`);
if (assets > BUDGET) {
  console.error(`over budget: ${kb(assets)} > ${kb(BUDGET)}`);
  process.exit(1);
}
