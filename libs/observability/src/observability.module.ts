import {
  Global,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { BaseServiceConfig } from '@loyalty/config';
import { HealthController } from './health/health.controller';
import { DEFAULT_CHECK_TIMEOUT_MS, HealthRegistry } from './health/health-registry.service';
import { RequestContextMiddleware } from './http/request-context.middleware';
import { createLogger } from './logging/create-logger';
import { LOGGER } from './logging/logger.token';
import { PinoLoggerService } from './logging/pino-logger.service';
import { EventMetrics } from './metrics/event-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import {
  OBSERVABILITY_OPTIONS,
  type ObservabilityModuleOptions,
  type ObservabilityOptions,
} from './observability-options';

export const OBSERVABILITY_MODULE_OPTIONS = Symbol('loyalty:observability-module-options');

function resolveOptions(
  options: ObservabilityModuleOptions,
  config: BaseServiceConfig | undefined,
): ObservabilityOptions {
  const service = options.service ?? config?.SERVICE_NAME;
  if (service === undefined) {
    throw new Error(
      'ObservabilityModule.forRoot needs a service name, or ConfigModule loaded with SERVICE_NAME',
    );
  }
  return {
    service,
    level: options.level ?? config?.LOG_LEVEL ?? 'info',
    logDestination: options.logDestination,
    collectDefaultMetrics: options.collectDefaultMetrics ?? true,
    readinessTimeoutMs: options.readinessTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
  };
}

/**
 * Logging, metrics, health and request correlation for one app. Global: import it once in the root
 * module. Serves `GET /metrics`, `GET /health/live` and `GET /health/ready`.
 */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: ObservabilityModuleOptions = {}): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: OBSERVABILITY_MODULE_OPTIONS, useValue: options },
        {
          provide: OBSERVABILITY_OPTIONS,
          inject: [OBSERVABILITY_MODULE_OPTIONS, { token: BaseServiceConfig, optional: true }],
          useFactory: resolveOptions,
        },
        {
          provide: LOGGER,
          inject: [OBSERVABILITY_OPTIONS],
          useFactory: (resolved: ObservabilityOptions) =>
            createLogger({
              service: resolved.service,
              level: resolved.level,
              destination: resolved.logDestination,
            }),
        },
        PinoLoggerService,
        MetricsService,
        EventMetrics,
        HealthRegistry,
        RequestContextMiddleware,
      ],
      exports: [
        OBSERVABILITY_OPTIONS,
        LOGGER,
        PinoLoggerService,
        MetricsService,
        EventMetrics,
        HealthRegistry,
        RequestContextMiddleware,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // '{*path}' is path-to-regexp 8's catch-all (Express 5); the legacy '*' logs a conversion warning.
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
