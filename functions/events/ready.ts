import { readyHandler } from '#shared/kernel/health';
import { postgresProbe } from '#shared/kernel/postgres';

export const handler = readyHandler('events', { postgres: postgresProbe('events') });
