export const METRIC_DEFINITION_CONFLICT = 'METRIC_DEFINITION_CONFLICT';

/** Thrown when a metric name is asked for with a different kind or different labels than it was created with. */
export class MetricDefinitionConflictError extends Error {
  readonly code = METRIC_DEFINITION_CONFLICT;

  constructor(
    readonly metric: string,
    existing: string,
    requested: string,
  ) {
    super(`Metric ${metric} is already defined as ${existing}; it was requested as ${requested}`);
    this.name = 'MetricDefinitionConflictError';
  }
}
