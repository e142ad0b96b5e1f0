import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startGrpcServer } from '../../infra/local/grpc-server.ts';

describe('local native gRPC server', () => {
  it('fails with a clear message when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(startGrpcServer({ port, host: '127.0.0.1' })).rejects.toThrow(
        `gRPC port ${port} is already in use: stop what runs there or set GRPC_PORT to another port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('starts on a free port and stops', async () => {
    const server = await startGrpcServer({ port: 0, host: '127.0.0.1' });
    expect(server.port).toBeGreaterThan(0);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/`)).rejects.toThrow();
  });
});
