import { healthHandler } from '#shared/kernel/health';

export const handler = healthHandler('users');
