import type { Probe } from '../kernel/dependency.ts';
import { log } from '../kernel/request-context.ts';
import type { Service } from '../routes.ts';
import { endpoint, ok } from './endpoint.ts';

const PROBE_TIMEOUT_MS = 2_000;

/** GET …/health: the function runs (liveness; no dependency is touched). */
export const healthHandler = (service: Service) => endpoint({}, async () => ok({ status: 'healthy', service }));

/** GET …/ready: every dependency answers (200), or which do not (503). */
export const readyHandler = (service: Service, probes: Record<string, Probe>) =>
  endpoint({}, async () => {
    const entries = await Promise.all(
      Object.entries(probes).map(async ([name, probe]) => [name, await check(name, probe)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, c]) => c.ok);
    return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', service, checks } };
  });

async function check(name: string, probe: Probe) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS))),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
  } catch (error) {
    // The reason is logged; the body says only that it failed (no host names leak out).
    log().warn('readiness probe failed', { dependency: name, error: String(error) });
    return { ok: false, ms: Math.round(performance.now() - started), detail: 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
