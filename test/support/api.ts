import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { once } from '../../shared/kernel/config.ts';
import { type Platform, startPlatform } from '../../infra/local/platform.ts';

/**
 * The real HTTP path for tests: the local runtime's gateway on a free port, in this worker, against
 * the run's stores (see global-setup.ts). Started once per test file, stopped by `stopApi()`.
 */
export const startApi = once(
  async (): Promise<Platform> =>
    startPlatform({ dataDir: mkdtempSync(join(process.env.TEST_DATA_DIR!, 'api-')), port: 0 }),
);

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A request against the running API; JSON in (`body`, or `raw` text sent as application/json unless a Content-Type is given), JSON (when there is any) out. */
export async function call<T = any>(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const { url } = await startApi();
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  // A body is sent as JSON unless the test names another type (fetch would say text/plain).
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  const response = await fetch(url + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export async function stopApi(): Promise<void> {
  const platform = await startApi();
  await platform.stop();
}
