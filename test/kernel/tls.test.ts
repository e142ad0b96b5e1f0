import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type PgBouncer, startPgBouncer } from '../../scripts/pgbouncer.ts';

/**
 * TLS to the database is verified (sslmode=verify-full against the CA bundle file in DB_CA_FILE, as
 * the functions carry it): against a TLS endpoint whose certificate a self-made CA signed (PgBouncer
 * requiring TLS, as RDS Proxy does), the URL that config.ts builds connects with that CA and is
 * refused with any other. The real bundle (RDS, RDS Proxy, DocumentDB CAs) is written at bundling
 * time by scripts/write-ca-bundle.mjs.
 */
const server = process.env.TEST_POSTGRES_SERVER_URL!;
const hasTools = (() => {
  try {
    execFileSync('pgbouncer', ['--version'], { stdio: 'ignore' });
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'tix-tls-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });

function makeCa(name: string) {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`));
}

let bouncer: PgBouncer | undefined;
const saved = { ...process.env };

describe.skipIf(!process.env.CI && (!hasTools || new URL(server).password !== ''))('TLS to PostgreSQL, verified', () => {
  beforeAll(async () => {
    makeCa('test-ca');
    makeCa('other-ca');
    writeFileSync(file('san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr'));
    openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('test-ca.pem'), '-CAkey', file('test-ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('san.cnf'), '-out', file('server.pem'));
    chmodSync(dir, 0o755);
    chmodSync(file('server.key'), 0o644); // PgBouncer runs as another user in CI (root → postgres)
    bouncer = await startPgBouncer({ upstream: server, tls: { certFile: file('server.pem'), keyFile: file('server.key') } });
  });
  afterAll(async () => {
    process.env = { ...saved };
    await bouncer?.stop();
  });

  /** The request path's URL as config.ts builds it in the cloud: DB_HOST (the proxy), the role, the CA file. */
  async function cloudUrl(caFile: string): Promise<string> {
    vi.resetModules();
    for (const key of ['DATABASE_URL', 'IDM_DATABASE_URL', 'DB_SSLMODE']) delete process.env[key];
    Object.assign(process.env, { DB_HOST: 'localhost', DB_PORT: String(bouncer!.port), DB_CA_FILE: caFile, IDM_DB_NAME: 'postgres', IDM_DB_USER: 'postgres', IDM_DB_PASSWORD: 'unused' });
    const { databaseUrl } = await import('../../shared/kernel/config.ts');
    return databaseUrl('idm');
  }

  it('connects when the certificate chains to the CA of DB_CA_FILE and names the host', async () => {
    const url = await cloudUrl(file('test-ca.pem'));
    expect(url).toContain('sslmode=verify-full');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a certificate of any other CA (no silent no-verify)', async () => {
    const client = new pg.Client({ connectionString: await cloudUrl(file('other-ca.pem')) });
    await expect(client.connect()).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});
