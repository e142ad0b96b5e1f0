import { caller, endpoint, ok } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { customerJson } from '#shared/users/http/representations';
import { EventIdPath } from '#shared/users/http/schemas';

export const handler = endpoint({ params: EventIdPath }, async (req) => {
  const { eventCustomers } = await usersDeps();
  return ok({ users: (await eventCustomers(caller(req), req.params.event_id)).map(customerJson) });
});
