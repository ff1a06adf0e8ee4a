import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { BaseServiceConfig } from './base-service.config';
import { loadConfig } from './load-config';

export interface ConfigModuleOptions {
  /** The environment to read; defaults to `process.env`. Tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the service's configuration class once and makes it injectable everywhere, under its own
 * class and under `BaseServiceConfig`, so libraries can depend on the shared variables only.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<T extends BaseServiceConfig>(
    cls: new () => T,
    options: ConfigModuleOptions = {},
  ): DynamicModule {
    // A factory rather than a value: the environment is read when the app starts, not when the
    // module file is imported, so a test can import an AppModule without a valid environment.
    const providers: Provider[] = [{ provide: cls, useFactory: () => loadConfig(cls, options.env) }];
    if (cls !== BaseServiceConfig) providers.push({ provide: BaseServiceConfig, useExisting: cls });

    return {
      module: ConfigModule,
      global: true,
      providers,
      exports: providers.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}
