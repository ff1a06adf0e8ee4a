import { Inject, Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from '../observability-options';
import { HTTP_DURATION_BUCKETS, HTTP_METRICS, type HttpMetricLabel } from './http-metrics';
import { MetricDefinitionConflictError } from './metric-definition.error';

type MetricKind = 'counter' | 'histogram' | 'gauge';

interface Definition {
  kind: MetricKind;
  labels: string;
}

export type MetricsOptions = Pick<ObservabilityOptions, 'service'> &
  Partial<Pick<ObservabilityOptions, 'collectDefaultMetrics'>>;

/**
 * The app's Prometheus metrics. Each instance owns its own `Registry` (never prom-client's global
 * one), so several apps in one test process do not collide. Every series carries a `service` label.
 *
 * Libraries define their metrics through the get-or-create helpers: asking twice for the same name
 * returns the same metric, and asking with another kind or other labels throws.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests: Counter<HttpMetricLabel>;
  readonly httpRequestDuration: Histogram<HttpMetricLabel>;
  private readonly definitions = new Map<string, Definition>();
  private readonly logger = new Logger(MetricsService.name);

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: MetricsOptions) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.collectDefaultMetrics !== false) collectDefaultMetrics({ register: this.registry });

    this.httpRequests = this.counter(
      HTTP_METRICS.requests.name,
      'HTTP requests served, by route pattern and status code',
      HTTP_METRICS.requests.labels,
    );
    this.httpRequestDuration = this.histogram(
      HTTP_METRICS.duration.name,
      'HTTP request duration in seconds, by route pattern and status code',
      HTTP_METRICS.duration.labels,
      HTTP_DURATION_BUCKETS,
    );
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.getOrCreate(name, 'counter', labelNames, Counter<L>, () => {
      return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
    });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets?: number[],
  ): Histogram<L> {
    return this.getOrCreate(name, 'histogram', labelNames, Histogram<L>, () => {
      return new Histogram<L>({
        name,
        help,
        labelNames,
        registers: [this.registry],
        ...(buckets && { buckets }),
      });
    });
  }

  /**
   * `collect` runs on every scrape, to set the gauge from a current reading (e.g. a backlog count). A
   * reading that fails (its database down) leaves the gauge as it was and is logged: prom-client builds a
   * scrape from every metric at once, so one failure would fail the whole scrape, and every series with it,
   * just when they matter.
   */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: (gauge: Gauge<L>) => void | Promise<void>,
  ): Gauge<L> {
    return this.getOrCreate(name, 'gauge', labelNames, Gauge<L>, () => {
      const gauge: Gauge<L> = new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [this.registry],
        ...(collect && {
          collect: async () => {
            try {
              await collect(gauge);
            } catch (error) {
              this.logger.warn(`reading ${name} failed, its last value stands: ${String(error)}`);
            }
          },
        }),
      });
      return gauge;
    });
  }

  /** The Prometheus text exposition of every metric in this app's registry. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private getOrCreate<M>(
    name: string,
    kind: MetricKind,
    labelNames: readonly string[],
    type: abstract new (...args: never[]) => M,
    create: () => M,
  ): M {
    const labels = [...labelNames].sort().join(',');
    const defined = this.definitions.get(name);
    if (defined === undefined) {
      const metric = create();
      this.definitions.set(name, { kind, labels });
      return metric;
    }
    const existing = this.registry.getSingleMetric(name);
    if (defined.kind !== kind || defined.labels !== labels || !(existing instanceof type)) {
      throw new MetricDefinitionConflictError(
        name,
        `${defined.kind}{${defined.labels}}`,
        `${kind}{${labels}}`,
      );
    }
    return existing;
  }
}
