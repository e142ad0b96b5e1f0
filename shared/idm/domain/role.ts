import type { Role } from '../../auth/roles.ts';

/**
 * What a registration may ask for (CONTRACT §1): `client` → client, `owner` → owner-event. Nothing
 * else: the service account and admins exist by configuration only (CONTRACT F6).
 */
const REGISTRATION_ROLES: Readonly<Record<string, Role>> = { client: 'client', owner: 'owner-event' };

export const REGISTRATION_ROLE_NAMES = Object.keys(REGISTRATION_ROLES);

export const registrationRole = (requested: string): Role | undefined =>
  Object.hasOwn(REGISTRATION_ROLES, requested) ? REGISTRATION_ROLES[requested] : undefined;
