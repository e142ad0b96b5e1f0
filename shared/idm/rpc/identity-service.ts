import { type ConnectRouter, type ConnectRouterOptions, createContextKey } from '@connectrpc/connect';
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  IdentityService, type LoginResponseSchema, type RegisterResponseSchema, type RevokeTokenResponseSchema,
  type VerifyTokenResponseSchema,
} from '#gen/idm_pb';
import { AppError } from '../../kernel/errors.ts';
import { MAX_BODY_BYTES } from '../../kernel/json-body.ts';
import { log } from '../../kernel/request-context.ts';
import { LOGIN_SUCCESS_MESSAGE } from '../application/login.ts';
import { REGISTERED_MESSAGE } from '../application/register.ts';
import type { IdmUseCases } from '../deps.ts';

/**
 * The IdentityService of proto/idm.proto over the same use cases as the REST endpoints. As in the
 * original (ORIGINAL §3), outcomes — wrong password, taken e-mail, invalid token, even server faults
 * — are answered in the response message (`success:false` / `valid:false` with a message), never as
 * an RPC error status; only requests Connect cannot decode get a protocol error.
 */

/** The caller's network address, for login throttling and the registration limit (set by each transport adapter). */
export const clientIpKey = createContextKey<string | undefined>(undefined, { description: 'client address' });

/** The router options every transport uses. */
export const identityRouterOptions: ConnectRouterOptions = { readMaxBytes: MAX_BODY_BYTES };

export const identityServiceRoutes = (useCases: () => Promise<IdmUseCases>) => (router: ConnectRouter) =>
  router.service(IdentityService, {
    register: (req, context) =>
      outcome<MessageInitShape<typeof RegisterResponseSchema>>(
        async () => {
          const clientIp = context.values.get(clientIpKey);
          const { userId } = await (await useCases()).register({ email: req.email, password: req.password, role: req.role, clientIp });
          return { success: true, message: REGISTERED_MESSAGE, userId: String(userId) };
        },
        (message) => ({ success: false, message }),
      ),
    login: (req, context) =>
      outcome<MessageInitShape<typeof LoginResponseSchema>>(
        async () => {
          const clientIp = context.values.get(clientIpKey);
          const { token, userId, role, email } = await (await useCases()).login({ email: req.email, password: req.password, clientIp });
          return { success: true, token, message: LOGIN_SUCCESS_MESSAGE, userId: String(userId), role, email };
        },
        (message) => ({ success: false, message }),
      ),
    verifyToken: (req) =>
      outcome<MessageInitShape<typeof VerifyTokenResponseSchema>>(
        async () => {
          const report = await (await useCases()).verify(req.token);
          return { ...report, expiresAt: BigInt(report.expiresAt) };
        },
        (message) => ({ valid: false, message }),
      ),
    revokeToken: (req) =>
      outcome<MessageInitShape<typeof RevokeTokenResponseSchema>>(
        async () => ({ success: true, message: (await (await useCases()).revoke(req.token)).message }),
        (message) => ({ success: false, message }),
      ),
  });

async function outcome<T>(run: () => Promise<T>, failure: (message: string) => T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) return failure(error.message);
    // A fault of ours: logged with its detail, answered without it (no SQL or host names leak out).
    log().error('IdentityService call failed', { error: error as Error });
    return failure('Internal error');
  }
}
