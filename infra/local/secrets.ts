import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Local stand-ins for what Secrets Manager holds in the cloud: generated on first start, kept in
 * the data directory (never committed), reused afterwards so that tokens survive a restart.
 */
export interface LocalSecrets {
  jwtSecret: string;
  serviceAccountPassword: string;
  adminPassword: string;
  postgresPassword: string;
}

export function localSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const generate = () => randomBytes(24).toString('base64url');
  const secrets: LocalSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    serviceAccountPassword: generate(),
    adminPassword: generate(),
    postgresPassword: generate(),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
