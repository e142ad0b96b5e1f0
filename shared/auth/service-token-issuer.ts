/**
 * The internal service-token issuer's contract (issue 11 item 10): the user manager obtains the
 * service account's token from the IDM function `functions/idm/issue-service-token.ts`, invoked
 * directly — Lambda Invoke with IAM in the cloud (only the user manager's functions may), in-process
 * locally — never through a public route, so no public caller can throttle or lock it.
 */
export const SERVICE_TOKEN_ISSUER = 'idm/issue-service-token';

/** The service account's credentials (the caller holds the password from Secrets Manager). */
export interface ServiceTokenRequest {
  email: string;
  password: string;
}

export type ServiceTokenAnswer =
  | { ok: true; token: string; /** unix seconds */ expiresAt: number }
  | { ok: false; code: string; message: string };
