import { idmDeps } from '#shared/idm/deps';
import { apiGatewayRpcHandler } from '#shared/idm/rpc/api-gateway';
import { identityRouterOptions, identityServiceRoutes } from '#shared/idm/rpc/identity-service';

/** IdentityService (proto/idm.proto) over Connect and gRPC-Web: one function for every RPC. */
export const handler = apiGatewayRpcHandler(identityServiceRoutes(idmDeps), identityRouterOptions);
