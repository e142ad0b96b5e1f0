import { caller, endpoint, ok } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { ticketJson } from '#shared/users/http/representations';
import { ClientTicketPath } from '#shared/users/http/schemas';

export const handler = endpoint({ params: ClientTicketPath }, async (req) => {
  const { cancelTicket } = await usersDeps();
  return ok({ ticket: ticketJson(await cancelTicket(caller(req), req.params.user_id, req.params.code)) });
});
