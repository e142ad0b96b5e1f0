import { readyHandler } from '#shared/kernel/health';
import { postgresProbe } from '#shared/kernel/probes';

export const handler = readyHandler('events', { postgres: postgresProbe('events') });
