import { createServer, type Server } from 'node:net';
import { freePort } from './service-process';

const EPHEMERAL_FROM = 32_768;

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('freePort', () => {
  it("should give ports of this worker's own block, below the range client sockets take theirs from, none twice", async () => {
    const worker = Number(process.env.JEST_WORKER_ID ?? 0) % 10;
    const ports = await Promise.all([freePort(), freePort(), freePort()]);

    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeLessThan(EPHEMERAL_FROM);
      expect(Math.floor((port - 20_000) / 1_000)).toBe(worker);
    }
  });

  it('should pass over a port something already listens on', async () => {
    const first = await freePort();
    const block = first - ((first - 20_000) % 1_000);
    const inBlock = (offset: number) => block + (offset % 1_000);
    // The port it would give next is taken before it is asked for.
    const held = await listenOn(inBlock(first - block + 1));
    try {
      expect(await freePort()).toBe(inBlock(first - block + 2));
    } finally {
      await new Promise((resolve) => held.close(resolve));
    }
  });
});
