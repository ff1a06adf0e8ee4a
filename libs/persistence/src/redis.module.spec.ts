import { EventEmitter, once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type Redis from 'ioredis';
import type { BaseServiceConfig } from '@loyalty/config';
import type { Logger } from 'pino';
import { HealthRegistry } from '@loyalty/observability';
import { DEFAULT_COMMAND_TIMEOUT_MS, RedisModule, redisClientFor } from './redis.module';

describe('RedisModule', () => {
  it('should warn once as Redis becomes unreachable, however often reconnecting fails, and say when it is back', () => {
    const client = new EventEmitter();
    const lines: string[] = [];
    const logger = {
      warn: (_fields: unknown, message: string) => lines.push(`warn: ${message}`),
      info: (message: string) => lines.push(`info: ${message}`),
    };
    new RedisModule(
      client as unknown as Redis,
      new HealthRegistry(),
      logger as unknown as Logger,
    ).onModuleInit();

    client.emit('ready');
    for (let attempt = 0; attempt < 3; attempt++) client.emit('error', new Error('connect ECONNREFUSED'));
    client.emit('ready');
    client.emit('error', new Error('read ECONNRESET'));

    expect(lines).toEqual([
      'warn: redis unreachable; reconnecting',
      'info: redis reachable again',
      'warn: redis unreachable; reconnecting',
    ]);
  });

  describe('its client, against a Redis that accepts connections and never replies', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    let client: Redis | undefined;

    beforeAll(async () => {
      silent = createServer((socket) => void sockets.push(socket)).listen(0, '127.0.0.1');
      await once(silent, 'listening');
    });

    afterEach(() => client?.disconnect());

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await once(silent, 'close');
    });

    const clientOf = (fields: Record<string, unknown>) => {
      const { port } = silent.address() as { port: number };
      client = redisClientFor({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        SERVICE_NAME: 'test',
        ...fields,
      } as unknown as BaseServiceConfig);
      return client;
    };

    const failsAfter = async (redis: Redis) => {
      const started = Date.now();
      await expect(redis.get('guest')).rejects.toThrow(/timed out/i);
      return Date.now() - started;
    };

    it('should fail a command after the default timeout when the service sets none', async () => {
      const waited = await failsAfter(clientOf({}));
      expect(waited).toBeGreaterThanOrEqual(DEFAULT_COMMAND_TIMEOUT_MS - 50);
      expect(waited).toBeLessThan(DEFAULT_COMMAND_TIMEOUT_MS + 2_000);
    });

    it("should fail it after the service's own REDIS_COMMAND_TIMEOUT_MS when it sets one", async () => {
      const waited = await failsAfter(clientOf({ REDIS_COMMAND_TIMEOUT_MS: 200 }));
      expect(waited).toBeLessThan(DEFAULT_COMMAND_TIMEOUT_MS);
    });
  });
});
