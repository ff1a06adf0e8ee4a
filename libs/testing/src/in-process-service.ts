import type { INestApplication, Type } from '@nestjs/common';
import type { BaseServiceConfig } from '@loyalty/config';
import { bootstrapService } from '@loyalty/platform';

export interface InProcessService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Boots a service module inside the test process (faster than a child process; use ServiceProcess when
 * the test must kill it). `env` is applied to process.env, which jest keeps per test file.
 */
export async function startInProcess<C extends BaseServiceConfig>(
  module: Type<unknown>,
  config: Type<C>,
  env: Record<string, string>,
): Promise<InProcessService> {
  Object.assign(process.env, env);
  const app = await bootstrapService({ module, config, title: 'test', description: 'test', inProcess: true });
  return { app, url: await app.getUrl(), close: () => app.close() };
}
