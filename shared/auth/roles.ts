/** The four roles of the platform (ORIGINAL §1.4). */
export const ROLES = ['admin', 'owner-event', 'client', 'serviciu_clienti'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** The service account's role: what the user service uses to call the event manager. */
export const SERVICE_ROLE: Role = 'serviciu_clienti';
