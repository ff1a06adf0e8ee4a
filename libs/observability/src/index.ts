export { ObservabilityModule } from './observability.module';
export {
  OBSERVABILITY_OPTIONS,
  type ObservabilityModuleOptions,
  type ObservabilityOptions,
} from './observability-options';
export { PUBLIC_ROUTE_METADATA } from './public-route';

export {
  CorrelationContext,
  isValidCorrelationId,
  type CorrelationIds,
} from './correlation/correlation-context';

export { createLogger, REDACTED_KEYS, type CreateLoggerOptions, type Logger } from './logging/create-logger';
export { LOGGER } from './logging/logger.token';
export { PinoLoggerService } from './logging/pino-logger.service';

export { MetricsService, type MetricsOptions } from './metrics/metrics.service';
export { HTTP_METRICS, HTTP_DURATION_BUCKETS } from './metrics/http-metrics';
export {
  EventMetrics,
  EVENT_METRICS,
  EVENT_OUTCOMES,
  EVENT_HANDLER_BUCKETS,
  type EventOutcome,
} from './metrics/event-metrics';
export { MetricDefinitionConflictError, METRIC_DEFINITION_CONFLICT } from './metrics/metric-definition.error';
export { MetricsController } from './metrics/metrics.controller';

export {
  HealthRegistry,
  DEFAULT_CHECK_TIMEOUT_MS,
  type HealthCheck,
  type CheckResult,
  type LivenessReport,
  type ReadinessReport,
} from './health/health-registry.service';
export { HealthController } from './health/health.controller';

export {
  RequestContextMiddleware,
  CORRELATION_HEADER,
  UNMATCHED_ROUTE,
} from './http/request-context.middleware';

/** A pino destination that keeps lines in memory: pass it as `logDestination` in tests. */
export { LogCapture } from './testing/log-capture';

/** Latency and throughput summaries, for the benchmarks' figures. */
export { percentile } from './metrics/percentiles';
/** Rates and averages of counts, rounded exactly: a reported half is never shown rounded down. */
export { roundedRatio } from './metrics/rounded-ratio';

export * from './group-assignments';
