import { readyHandler } from '#shared/kernel/health';
import { postgresProbe, redisProbe } from '#shared/kernel/probes';

export const handler = readyHandler('idm', { postgres: postgresProbe('idm'), redis: redisProbe });
