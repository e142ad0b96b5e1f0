import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import autocannon from 'autocannon';

/** Shared helpers of the benchmarks: statistics, the machine, tables, result files. */

export const median = (values: number[]) => percentile(values, 50);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** p50 / p95 / p99 of `values` (ms), rounded to 0.1 ms. */
export const latencyPercentiles = (values: number[]) => ({
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  p99: round(percentile(values, 99)),
});

export interface LoadResult {
  /** Answers received, and the time from the start to the last of them. */
  answers: number;
  seconds: number;
  perSecond: number;
  latencyMs: ReturnType<typeof latencyPercentiles>;
  statuses: Record<number, number>;
  /** Transport errors and timeouts (no answer at all). */
  failures: number;
}

/**
 * One autocannon run, measured here from every answer: exact rate (autocannon reports a run only
 * at its next one-second tick) and p95 (autocannon's histogram has p97.5, not p95).
 */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  let lastAnswer = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    run.on('response', (_client, status, _bytes, ms) => {
      lastAnswer = performance.now();
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  const seconds = (lastAnswer - started) / 1000;
  return {
    answers: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    latencyMs: latencyPercentiles(latencies),
    statuses,
    failures: result.errors + result.timeouts,
  };
}

export function machine() {
  let postgres = 'unknown';
  try {
    postgres = execSync('psql --version', { encoding: 'utf8' }).trim();
  } catch {
    /* no client */
  }
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), postgres };
}

export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(columns.map((c) => String(row[c]))));
}

export function writeResult(name: string, result: Record<string, unknown>): void {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  writeFileSync(file, `${JSON.stringify({ name, at: new Date().toISOString(), machine: machine(), ...result }, null, 2)}\n`);
  console.log(`\nwrote bench/results/${name}.json`);
}
