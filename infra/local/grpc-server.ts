import { createServer, type Http2Session } from 'node:http2';
import { createContextValues } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { idmDeps } from '../../shared/idm/deps.ts';
import { clientIpKey, identityRouterOptions, identityServiceRoutes } from '../../shared/idm/rpc/identity-service.ts';
import { log, newRequestContext, runWithContext } from '../../shared/kernel/request-context.ts';

/**
 * The IdentityService as native gRPC over cleartext HTTP/2 (h2c), as the original IDM served it on
 * port 50051 — the one transport API Gateway cannot carry, so only the local runtime offers it. Same
 * routes as the Lambda; Connect and gRPC-Web are answered here too.
 */
export async function startGrpcServer(options: { port: number; host: string }): Promise<{ port: number; close(): Promise<void> }> {
  const adapter = connectNodeAdapter({
    ...identityRouterOptions,
    routes: identityServiceRoutes(idmDeps),
    contextValues: (req) => createContextValues().set(clientIpKey, req.socket?.remoteAddress),
  });
  const server = createServer((req, res) => {
    const context = newRequestContext(req.headers['x-correlation-id'] as string | undefined, { route: `gRPC ${req.url}` });
    runWithContext(context, () => {
      const started = performance.now();
      res.once('finish', () => log().info('request', { path: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) }));
      adapter(req, res);
    });
  });
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`gRPC port ${options.port} is already in use: stop what runs there or set GRPC_PORT to another port`)
          : error,
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      }),
  };
}
