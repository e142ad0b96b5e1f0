import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.ts';

const run = promisify(execFile);

/** `npm run smoke` itself (CI runs it for real against `npm start`: scripts/smoke-local.sh). */
async function smoke(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/smoke.ts', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run smoke', () => {
  it('without a base URL: usage, exit 2', async () => {
    const result = await smoke();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: npm run smoke -- <base-url>/);
  });

  it('exits non-zero naming the step that failed', async () => {
    const result = await smoke(`http://127.0.0.1:${await freePort()}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/smoke: FAILED — step "register and log in an organiser" failed: POST \/api\/idm\/auth\/register: /);
  });
});
