import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOCALSTACK_ENDPOINT, LOCALSTACK_STORE_URLS } from '../../infra/profile.ts';
import { repoPath } from '../../infra/constructs/paths.ts';
import { resourcesOf, synthTix } from './synth.ts';

/**
 * The LocalStack recipe cannot run here (no Docker engine), so these keep it honest: the compose
 * file, the profile's URLs and the synthesized functions must agree with each other.
 */
type Service = { image: string; environment?: Record<string, string>; networks?: string[]; ports?: string[]; healthcheck?: unknown };
const compose = parse(readFileSync(repoPath('infra', 'localstack', 'compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  networks: Record<string, { name: string }>;
};
const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
const DEFAULT_PORT: Record<string, string> = { postgres: '5432', mongodb: '27017', redis: '6379' };

describe('LocalStack recipe', () => {
  const { localstack, ...stores } = compose.services;

  it('compose: pinned images, one network that Lambda containers join, the auth token passed through, any host architecture', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, name).toMatch(/^[\w./-]+:\d+(\.\d+)+$/); // a version tag, never `latest`
      expect(service.networks, name).toEqual(['tix']);
      expect(service.healthcheck, name).toBeDefined();
    }
    const env = localstack!.environment!;
    expect(env.LAMBDA_DOCKER_NETWORK).toBe(compose.networks.tix!.name);
    expect(env.LOCALSTACK_AUTH_TOKEN).toMatch(/^\$\{LOCALSTACK_AUTH_TOKEN:\?.+\}$/);
    expect(env.LAMBDA_IGNORE_ARCHITECTURE).toBe('1');
    expect(localstack!.ports).toContain('127.0.0.1:4566:4566');
    expect(new URL(LOCALSTACK_ENDPOINT).port).toBe('4566');
  });

  it("the profile's default URLs name the compose services on their default ports", () => {
    for (const url of Object.values(LOCALSTACK_STORE_URLS)) {
      const { hostname, port } = new URL(url);
      expect(Object.keys(stores), url).toContain(hostname);
      expect(port, url).toBe(DEFAULT_PORT[hostname]);
    }
    expect(stores.postgres!.environment?.POSTGRES_HOST_AUTH_METHOD).toBe('trust'); // the URLs carry no password
  });

  it('every function resolves its whole environment to the compose stores and LocalStack, and nothing else', () => {
    const synth = synthTix({ profile: 'localstack' });
    const functions = [...Object.values(resourcesOf(synth.templates.api, 'AWS::Lambda::Function')), ...Object.values(resourcesOf(synth.apiResources, 'AWS::Lambda::Function'))];
    const byService = new Map<string, Record<string, unknown>>();
    for (const fn of functions) {
      const env = fn.Properties.Environment?.Variables as Record<string, unknown> | undefined;
      if (!env?.POWERTOOLS_SERVICE_NAME) continue; // CDK's own provider functions
      byService.set(String(env.POWERTOOLS_SERVICE_NAME), env);
      expect(env.AWS_ENDPOINT_URL).toBe(LOCALSTACK_ENDPOINT);
      for (const [name, value] of Object.entries(env)) {
        if (/_URL$/.test(name) && name !== 'PUBLIC_BASE_URL' && name !== 'AWS_ENDPOINT_URL') {
          expect(Object.values(LOCALSTACK_STORE_URLS), name).toContain(value);
        }
        expect(name, 'no RDS or DocumentDB secret in LocalStack').not.toMatch(/^(DB|MONGODB_URL)_SECRET_ARN$/);
      }
    }
    expect([...byService.keys()].sort()).toEqual(['tix-audit', 'tix-docs', 'tix-events', 'tix-idm', 'tix-migrate', 'tix-users']); // no authorizer there
    expect(byService.get('tix-idm')).toMatchObject({ IDM_DATABASE_URL: LOCALSTACK_STORE_URLS.idmDatabaseUrl, REDIS_URL: LOCALSTACK_STORE_URLS.redisUrl });
    expect(byService.get('tix-events')).toMatchObject({ EVENTS_DATABASE_URL: LOCALSTACK_STORE_URLS.eventsDatabaseUrl, REDIS_URL: LOCALSTACK_STORE_URLS.redisUrl });
    expect(byService.get('tix-users')).toMatchObject({ MONGODB_URL: LOCALSTACK_STORE_URLS.mongodbUrl, REDIS_URL: LOCALSTACK_STORE_URLS.redisUrl });
    expect(byService.get('tix-migrate')).toMatchObject({ IDM_DATABASE_URL: LOCALSTACK_STORE_URLS.idmDatabaseUrl, EVENTS_DATABASE_URL: LOCALSTACK_STORE_URLS.eventsDatabaseUrl });
  });

  it('npm scripts: up / deploy (cdklocal, bootstrapped) / down, never plain cdk for LocalStack', () => {
    const { scripts } = pkg;
    expect(scripts['localstack:up']).toContain('docker compose -f infra/localstack/compose.yaml up');
    expect(scripts['localstack:down']).toContain('docker compose -f infra/localstack/compose.yaml down');
    expect(scripts['localstack:deploy']).toMatch(/^cdklocal bootstrap -c profile=localstack && cdklocal deploy --all -c profile=localstack/);
    expect(scripts['deploy:localstack']).toBe('npm run localstack:deploy');
    for (const [name, script] of Object.entries(scripts)) {
      if (script.includes('profile=localstack') && /\b(deploy|bootstrap)\b/.test(script)) expect(script, name).not.toMatch(/(^|&& )cdk /);
    }
    expect(pkg.devDependencies['aws-cdk-local']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
