import type { LogLevel } from '@loyalty/config';
import type { DestinationStream } from 'pino';

export interface ObservabilityModuleOptions {
  /** The `service` field and label; defaults to SERVICE_NAME from BaseServiceConfig when ConfigModule is loaded. */
  service?: string;
  /** Defaults to LOG_LEVEL from BaseServiceConfig, else 'info'. */
  level?: LogLevel;
  /** Where log lines go; stdout when omitted. */
  logDestination?: DestinationStream;
  /** Node process metrics (CPU, memory, event loop, GC); on unless turned off. */
  collectDefaultMetrics?: boolean;
  /** How long one readiness check may take before it counts as down; 2000 ms by default. */
  readinessTimeoutMs?: number;
}

/** The options after defaults are applied, as the module's providers receive them. */
export interface ObservabilityOptions {
  service: string;
  level: LogLevel;
  logDestination?: DestinationStream;
  collectDefaultMetrics: boolean;
  readinessTimeoutMs: number;
}

export const OBSERVABILITY_OPTIONS = Symbol('loyalty:observability-options');
