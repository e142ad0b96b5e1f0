import { caller, endpoint } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { BuyTicketBody, BuyTicketHeaders, ClientPath } from '#shared/users/http/schemas';

export const handler = endpoint({ params: ClientPath, body: BuyTicketBody, headers: BuyTicketHeaders }, async (req) => {
  const key = req.header('idempotency-key');
  const { buyTicket } = await usersDeps();
  const { response, replayed } = await buyTicket(caller(req), req.params.user_id, req.body, key);
  return { status: response.status, body: response.body, headers: replayed ? { 'Idempotent-Replayed': 'true' } : undefined };
});
