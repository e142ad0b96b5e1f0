import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleAll } from '../infra/build/bundle.ts';
import { BUNDLE } from '../infra/constructs/bundling.ts';
import { repoPath } from '../infra/constructs/paths.ts';
import { median, printTable, round, writeResult } from './lib.ts';

/**
 * Benchmark 4: every function bundle's size and its process-start-to-handler-ready time (median of
 * RUNS fresh processes), against an empty bundle built the same way and timed in the same rounds.
 * "Ready" = the bundle's module graph evaluated and `handler` exported, which is what a Lambda cold
 * start pays before the first invocation (clients connect lazily, on first use).
 */
const RUNS = Number(process.env.RUNS ?? 15);
// Inside the repository, so that the bundles' external @aws-sdk/* (which the Lambda runtime
// provides) resolve from node_modules as they do in Lambda.
const dir = mkdtempSync(repoPath('dist-bench-'));

/** Wall time of `node <loader>` that imports the bundle and exits when `handler` is a function. */
function readyMs(file: string): number {
  const loader = `const t = performance.timeOrigin; const m = await import(${JSON.stringify(file)}); if (typeof m.handler !== 'function') process.exit(3);`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', loader], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' },
    encoding: 'utf8',
  });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${file} failed to load: ${run.stderr}`);
  return elapsed;
}

try {
  const emptySource = join(dir, 'empty.ts');
  writeFileSync(emptySource, 'export const handler = async () => ({ statusCode: 200, body: "" });\n');
  const empty = join(dir, 'empty', 'index.mjs');
  await build({ entryPoints: [emptySource], outfile: empty, bundle: true, platform: 'node', format: 'esm', target: BUNDLE.target, banner: { js: BUNDLE.banner }, minify: true, logLevel: 'error' });
  const bundles = await bundleAll(join(dir, 'dist'));

  // RUNS rounds, each timing the empty bundle and then every function once: the machine's drift
  // over the minutes this takes touches the baseline and every bundle alike.
  const files = [empty, ...bundles.map((b) => b.file)];
  const times = new Map<string, number[]>(files.map((f) => [f, []]));
  for (let run = 0; run < RUNS; run++) for (const file of files) times.get(file)!.push(readyMs(file));
  const baselineMs = median(times.get(empty)!);
  const rows = bundles.map(({ name, file, bytes }) => {
    const ms = median(times.get(file)!);
    return { function: name, kb: round(bytes / 1024, 0), readyMs: round(ms), vsEmpty: round(ms / baselineMs, 2) };
  });
  rows.sort((a, b) => b.kb - a.kb);

  printTable(`Cold start: median of ${RUNS} processes; empty bundle ${round(statSync(empty).size / 1024, 1)} KB ready in ${round(baselineMs)} ms`, rows);
  printTable('Five largest bundles', rows.slice(0, 5));
  const over = rows.filter((r) => r.kb > 1024);
  const authorizer = rows.find((r) => r.function === 'authorizer')!;
  console.log(`\nbundles over 1 MB: ${over.length} (${over.map((r) => r.function).join(', ') || 'none'})`);
  console.log(`authorizer: ${authorizer.kb} KB (target ≤ 100), ready ${authorizer.vsEmpty}× the empty bundle (target ≤ 1.3)`);
  writeResult('cold-start', { inputs: { runs: RUNS }, baseline: { emptyBundleMs: round(baselineMs) }, functions: rows, largest: rows.slice(0, 5) });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
