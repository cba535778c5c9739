// The bundle budget: the JavaScript a first visit loads (the entry chunk and the chunks it imports statically,
// as index.html names them) must stay at or under 300 KB gzipped. Screens are lazy chunks and do not count.
// Run after `vite build`; exits non-zero over budget. Prints the figure either way.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]),
);
if (initial.size === 0) {
  console.error('bundle budget: index.html names no script: was the app built?');
  process.exit(1);
}
let total = 0;
for (const file of [...initial].sort()) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  console.log(`  ${file}  ${(size / 1024).toFixed(1)} KB gzipped`);
}
const verdict = total <= BUDGET ? 'within' : 'OVER';
console.log(`bundle budget: initial JS ${(total / 1024).toFixed(1)} KB gzipped, ${verdict} the ${BUDGET / 1024} KB budget`);
process.exit(total <= BUDGET ? 0 : 1);
