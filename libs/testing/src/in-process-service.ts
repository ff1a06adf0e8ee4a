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
 * the test must kill it). A service reads its configuration from process.env once, while it starts:
 * `env` is set for the start and the variables it changed are put back afterwards, so the next service
 * a test file starts gets only its own environment, not this one's limits or names.
 */
export async function startInProcess<C extends BaseServiceConfig>(
  module: Type<unknown>,
  config: Type<C>,
  env: Record<string, string>,
): Promise<InProcessService> {
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const app = await bootstrapService({
      module,
      config,
      title: 'test',
      description: 'test',
      inProcess: true,
    });
    return { app, url: await app.getUrl(), close: () => app.close() };
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
