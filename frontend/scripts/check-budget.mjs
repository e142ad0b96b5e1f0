import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * The initial-JavaScript budget (issue 12): what the first page load must download — the entry
 * chunk and its static imports, per Vite's manifest — is at most 200 KB gzip, and the organiser and
 * admin pages are not part of it (they load when visited). Run by `npm run build`; fails the build.
 */
export const BUDGET_BYTES = 200 * 1024;
const LAZY = ['src/manage/', 'src/admin/'];

export function initialJs(distDir) {
  const manifest = JSON.parse(readFileSync(`${distDir}/.vite/manifest.json`, 'utf8'));
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit('index.html');
  const chunks = [...seen].map((key) => ({ key, file: manifest[key].file }));
  const gzip = chunks.reduce((sum, c) => sum + gzipSync(readFileSync(`${distDir}/${c.file}`)).length, 0);
  const lazyInInitial = chunks.filter((c) => LAZY.some((p) => c.key.startsWith(p)));
  const lazyEntries = Object.entries(manifest).filter(([key, v]) => v.isDynamicEntry && LAZY.some((p) => key.startsWith(p))).map(([key]) => key);
  return { chunks, gzip, lazyInInitial, lazyEntries };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = new URL('../dist', import.meta.url).pathname;
  const { chunks, gzip, lazyInInitial, lazyEntries } = initialJs(dist);
  console.log(`initial JS: ${chunks.length} chunk(s), ${(gzip / 1024).toFixed(1)} KB gzip (budget ${BUDGET_BYTES / 1024} KB); lazy: ${lazyEntries.join(', ')}`);
  if (gzip > BUDGET_BYTES) throw new Error(`initial JS ${gzip} B gzip exceeds the budget of ${BUDGET_BYTES} B`);
  if (lazyInInitial.length > 0 || lazyEntries.length < 2) throw new Error(`organiser/admin pages must load lazily: ${JSON.stringify({ lazyInInitial, lazyEntries })}`);
}
