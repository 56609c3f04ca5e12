// Prints the gzip size of the JavaScript each route loads, from the Vite manifest.
// Run after `npm run build:client`: node client/scripts/report-sizes.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/client/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const routes = {
  '/staff': 'src/pages/StaffPage.vue',
  '/board': 'src/pages/BoardPage.vue',
  '/join': 'src/pages/JoinPage.vue',
  '/t/:code': 'src/pages/TicketPage.vue',
  '(not found)': 'src/pages/NotFoundPage.vue',
};
const BUDGETS = { '/board': 120 * 1024 };

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entry) throw new Error('No entry chunk in the Vite manifest');

/** Every chunk a key pulls in through static imports: what the browser must fetch. */
function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) staticClosure(dep, seen);
  return seen;
}

const gzipCache = new Map();
function gzipBytes(file) {
  if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gzipCache.get(file);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let failed = false;

console.log('Route JS (entry + route chunk + shared chunks), gzip -9:');
for (const [route, source] of Object.entries(routes)) {
  if (!manifest[source]) throw new Error(`${source} is not a chunk in the manifest (was it lazy-loaded?)`);
  const keys = new Set([...staticClosure(entry), ...staticClosure(source)]);
  const files = [...keys].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
  const total = files.reduce((sum, file) => sum + gzipBytes(file), 0);
  const budget = BUDGETS[route];
  const verdict = budget === undefined ? '' : total <= budget ? `  (budget ${kb(budget)}: ok)` : `  (budget ${kb(budget)}: OVER)`;
  if (budget !== undefined && total > budget) failed = true;
  console.log(`  ${route.padEnd(12)} ${kb(total).padStart(9)}  ${files.length} files${verdict}`);
}

if (failed) process.exitCode = 1;
