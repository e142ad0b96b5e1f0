import { readyHandler } from '#shared/http/health';
import { postgresProbe } from '#shared/kernel/postgres';

export const handler = readyHandler('events', { postgres: postgresProbe('events') });
