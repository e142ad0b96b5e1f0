import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, type SigningJwk } from '../../shared/auth/signing-keys.ts';

/**
 * Local stand-ins for what Secrets Manager holds in the cloud: generated on first start, kept in
 * the data directory (never committed), reused afterwards so that tokens survive a restart.
 */
export interface LocalSecrets {
  /** The token signing key (ES256, a private JWK with its `kid`); its public half verifies. */
  jwtSigningKey: SigningJwk;
  serviceAccountPassword: string;
  adminPassword: string;
  postgresPassword: string;
  /** Passwords of the services' PostgreSQL roles. */
  idmDbPassword: string;
  eventsDbPassword: string;
  /** Password of the audit reader's PostgreSQL role (reads audit_log, nothing else). */
  auditDbPassword: string;
}

export function localSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'local-secrets.json');
  const { jwtSecret: _hs256, ...stored } = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets> & { jwtSecret?: string }) : {};
  const generate = () => randomBytes(24).toString('base64url');
  // What an older data directory lacks is generated and added; what it has is kept.
  const secrets: LocalSecrets = {
    jwtSigningKey: generateSigningKey(),
    serviceAccountPassword: generate(),
    adminPassword: generate(),
    postgresPassword: generate(),
    idmDbPassword: generate(),
    eventsDbPassword: generate(),
    auditDbPassword: generate(),
    ...stored,
  };
  if (Object.keys(secrets).length === Object.keys(stored).length) return secrets;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

