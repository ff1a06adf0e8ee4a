import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { HealthRegistry } from '@loyalty/observability';
import { RedisModule } from './redis.module';

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
});
