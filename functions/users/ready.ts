import { readyHandler } from '#shared/kernel/health';
import { mongoProbe } from '#shared/kernel/probes';

export const handler = readyHandler('users', { mongodb: mongoProbe });
