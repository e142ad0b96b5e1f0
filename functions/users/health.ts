import { healthHandler } from '#shared/http/health';

export const handler = healthHandler('users');
