import { caller, endpoint, ok } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { ticketListJson } from '#shared/users/http/representations';
import { ClientPath } from '#shared/users/http/schemas';

export const handler = endpoint({ params: ClientPath }, async (req) => {
  const { listTickets } = await usersDeps();
  return ok(ticketListJson(req.params.user_id, await listTickets(caller(req), req.params.user_id)));
});
