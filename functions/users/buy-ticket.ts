import { badRequest } from '#shared/kernel/errors';
import { caller, endpoint } from '#shared/kernel/endpoint';
import { usersDeps } from '#shared/users/deps';
import { BuyTicketBody, ClientPath } from '#shared/users/http/schemas';

/** Printable ASCII, as the IETF Idempotency-Key draft suggests (a UUID fits). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const handler = endpoint({ params: ClientPath, body: BuyTicketBody }, async (req) => {
  const key = req.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('Idempotency-Key must be 1 to 255 printable ASCII characters', undefined, 'INVALID_IDEMPOTENCY_KEY');
  }
  const { buyTicket } = await usersDeps();
  const { response, replayed } = await buyTicket(caller(req), req.params.user_id, req.body, key);
  return { status: response.status, body: response.body, headers: replayed ? { 'Idempotent-Replayed': 'true' } : undefined };
});
