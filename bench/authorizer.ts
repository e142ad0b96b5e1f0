import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { Redis } from 'ioredis';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { generateSigningKey, publicJwks } from '../shared/auth/signing-keys.ts';
import { latencyPercentiles, printTable, round, writeResult } from './lib.ts';

/**
 * Benchmark 3: authorizer decisions per second for valid tokens, the blacklist in real Redis,
 * against the bare baseline of one jose ES256 verification + one Redis EXISTS, side by side in one
 * run, each at the same concurrency for the same time. The baseline's EXISTS goes through ioredis,
 * a general-purpose client, so that it does not share the services' own small client.
 * A warm container has seen most tokens before and remembers their verification (shared/auth/
 * tokens.ts), so the main comparison repeats 1 000 tokens; a second one gives both sides tokens
 * never seen (each verified once): the cost of a token's first request.
 */
const signingKey = generateSigningKey();
process.env.JWT_SIGNING_KEY ??= JSON.stringify(signingKey);
process.env.JWT_PUBLIC_KEYS ??= JSON.stringify(publicJwks([signingKey]));
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.LOG_LEVEL = 'SILENT';
const SECONDS = Number(process.env.DURATION ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const TOKENS = 1_000;

const { issueToken } = await import('../shared/auth/tokens.ts');
const { authorize } = await import('../shared/auth/authorizer.ts');
const { blacklist } = await import('../shared/auth/blacklist.ts');
const { redisClient } = await import('../shared/kernel/redis.ts');

const tokens = await Promise.all(
  Array.from({ length: TOKENS }, (_, i) => issueToken({ userId: i + 1, role: 'client', email: `u${i}@bench.test` }).then((t) => t.token)),
);
const event = (token: string): APIGatewayRequestAuthorizerEvent => ({
  type: 'REQUEST',
  methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:api/api/GET/api/user-manager/users/1',
  resource: '/api/user-manager/users/{id}',
  path: '/api/user-manager/users/1',
  httpMethod: 'GET',
  headers: { Authorization: `Bearer ${token}` },
  multiValueHeaders: {},
  pathParameters: { id: '1' },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  stageVariables: null,
  requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
});

/** Runs `op` from CONCURRENCY loops for SECONDS; operations per second and each one's latency. */
async function throughput(op: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let i = worker; performance.now() < until; i += CONCURRENCY) {
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - started) / 1000), latencyMs: latencyPercentiles(latencies) };
}

const revoked = blacklist();
const key = createLocalJWKSet(JSON.parse(process.env.JWT_PUBLIC_KEYS!));
const bare = new Redis(process.env.REDIS_URL);

// Warm both paths (key import, connections, JIT) before measuring.
await throughput(async (i) => authorize(event(tokens[i % TOKENS]!), revoked));
const baseline = await throughput(async (i) => {
  const { payload } = await jwtVerify(tokens[i % TOKENS]!, key, { algorithms: ['ES256'] });
  await bare.exists(`token:revoked:${payload.jti}`);
});
const ours = await throughput(async (i) => {
  const result = await authorize(event(tokens[i % TOKENS]!), revoked);
  if (result.policyDocument.Statement[0]!.Effect !== 'Allow') throw new Error('expected Allow');
});

// First sight: FRESH new tokens per side, each presented once (no remembered verification).
const FRESH = Number(process.env.FRESH_TOKENS ?? 4_000);
const freshTokens = async () =>
  Promise.all(Array.from({ length: FRESH }, (_, i) => issueToken({ userId: i + 1, role: 'client', email: `f${i}@bench.test` }).then((t) => t.token)));
/** Each of `list` once, from CONCURRENCY loops: operations per second and each one's latency. */
async function once(list: string[], op: (token: string) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < list.length) {
        const token = list[next++]!;
        const t = performance.now();
        await op(token);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - started) / 1000), latencyMs: latencyPercentiles(latencies) };
}
const [forBaseline, forOurs] = [await freshTokens(), await freshTokens()];
const firstBaseline = await once(forBaseline, async (token) => {
  const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'] });
  await bare.exists(`token:revoked:${payload.jti}`);
});
const firstOurs = await once(forOurs, async (token) => {
  const result = await authorize(event(token), revoked);
  if (result.policyDocument.Statement[0]!.Effect !== 'Allow') throw new Error('expected Allow');
});

const ratio = ours.perSecond / baseline.perSecond;
const firstRatio = firstOurs.perSecond / firstBaseline.perSecond;
const ms = ({ p50, p95, p99 }: ReturnType<typeof latencyPercentiles>) => ({ p50ms: p50, p95ms: p95, p99ms: p99 });
const rows = [
  { path: 'baseline: jose verify + Redis EXISTS', decisionsPerSecond: round(baseline.perSecond, 0), ...ms(baseline.latencyMs) },
  { path: 'authorizer (route lookup, verify, blacklist, policy)', decisionsPerSecond: round(ours.perSecond, 0), ...ms(ours.latencyMs) },
  { path: `first sight (${FRESH} new tokens): baseline`, decisionsPerSecond: round(firstBaseline.perSecond, 0), ...ms(firstBaseline.latencyMs) },
  { path: `first sight (${FRESH} new tokens): authorizer`, decisionsPerSecond: round(firstOurs.perSecond, 0), ...ms(firstOurs.latencyMs) },
];
printTable(`Authorizer: ${SECONDS} s at concurrency ${CONCURRENCY}, ${TOKENS} distinct valid tokens, blacklist in Redis`, rows);
console.log(`\nours / baseline = ${round(ratio, 2)} (target ≥ 0.7); first sight of each token: ${round(firstRatio, 2)}`);
const rounded = (r: typeof ours) => ({ perSecond: round(r.perSecond, 0), latencyMs: r.latencyMs });
writeResult('authorizer', {
  inputs: { seconds: SECONDS, concurrency: CONCURRENCY, tokens: TOKENS, freshTokens: FRESH },
  baseline: rounded(baseline),
  ours: rounded(ours),
  ratio: round(ratio, 2),
  firstSight: { baseline: rounded(firstBaseline), ours: rounded(firstOurs), ratio: round(firstRatio, 2) },
});
bare.disconnect();
redisClient()?.close();
