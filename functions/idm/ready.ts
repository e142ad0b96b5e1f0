import { readyHandler } from '#shared/http/health';
import { postgresProbe } from '#shared/kernel/postgres';
import { redisProbe } from '#shared/kernel/redis';

export const handler = readyHandler('idm', { postgres: postgresProbe('idm'), redis: redisProbe });
