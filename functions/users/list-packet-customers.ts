import { caller, endpoint, ok } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { customerJson } from '#shared/users/http/representations';
import { PacketIdPath } from '#shared/users/http/schemas';

export const handler = endpoint({ params: PacketIdPath }, async (req) => {
  const { packetCustomers } = await usersDeps();
  return ok({ users: (await packetCustomers(caller(req), req.params.packet_id)).map(customerJson) });
});
