import { Inject, Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from '../observability-options';
import { MetricsService } from './metrics.service';

/**
 * The one list of event-pipeline metric names and labels. The messaging library records them through
 * {@link EventMetrics}; dashboards and alerts refer to these names.
 */
export const EVENT_METRICS = {
  consumed: { name: 'events_consumed_total', labels: ['topic', 'type', 'outcome'] },
  published: { name: 'events_published_total', labels: ['topic', 'type'] },
  failed: { name: 'events_failed_total', labels: ['topic', 'type', 'reason'] },
  retried: { name: 'events_retried_total', labels: ['topic', 'type'] },
  deadLettered: { name: 'events_dead_lettered_total', labels: ['topic', 'reason'] },
  deadLetterWriteFailures: { name: 'dead_letter_write_failures_total', labels: ['topic'] },
  duplicatesSkipped: { name: 'events_duplicates_skipped_total', labels: ['topic', 'type'] },
  handlerDuration: { name: 'event_handler_duration_seconds', labels: ['topic', 'type'] },
  consumerLag: { name: 'consumer_lag', labels: ['group', 'topic', 'partition'] },
  outboxBacklog: { name: 'outbox_backlog', labels: ['service'] },
} as const;

/** How the handling of one consumed event ended. */
export const EVENT_OUTCOMES = ['processed', 'duplicate', 'retried', 'dead-lettered', 'failed'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** Seconds; event handlers run one short transaction, so most land well under a second. */
export const EVENT_HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type LabelsOf<K extends keyof typeof EVENT_METRICS> = (typeof EVENT_METRICS)[K]['labels'][number];

/**
 * Typed recorders for the event metrics. `reason` labels must be error codes (a bounded set), never
 * error messages, or the series count grows without limit.
 */
@Injectable()
export class EventMetrics {
  private readonly consumedTotal: Counter<LabelsOf<'consumed'>>;
  private readonly publishedTotal: Counter<LabelsOf<'published'>>;
  private readonly failedTotal: Counter<LabelsOf<'failed'>>;
  private readonly retriedTotal: Counter<LabelsOf<'retried'>>;
  private readonly deadLetteredTotal: Counter<LabelsOf<'deadLettered'>>;
  private readonly deadLetterWriteFailuresTotal: Counter<LabelsOf<'deadLetterWriteFailures'>>;
  private readonly duplicatesSkippedTotal: Counter<LabelsOf<'duplicatesSkipped'>>;
  private readonly handlerDuration: Histogram<LabelsOf<'handlerDuration'>>;
  private readonly consumerLag: Gauge<LabelsOf<'consumerLag'>>;
  private readonly outboxBacklog: Gauge<LabelsOf<'outboxBacklog'>>;
  private readonly service: string;

  constructor(
    metrics: MetricsService,
    @Inject(OBSERVABILITY_OPTIONS) options: Pick<ObservabilityOptions, 'service'>,
  ) {
    const m = EVENT_METRICS;
    this.service = options.service;
    this.consumedTotal = metrics.counter(m.consumed.name, 'Events consumed, by outcome', m.consumed.labels);
    this.publishedTotal = metrics.counter(m.published.name, 'Events published to Kafka', m.published.labels);
    this.failedTotal = metrics.counter(
      m.failed.name,
      'Event handler failures, by error code',
      m.failed.labels,
    );
    this.retriedTotal = metrics.counter(m.retried.name, 'Event handling attempts retried', m.retried.labels);
    this.deadLetteredTotal = metrics.counter(
      m.deadLettered.name,
      'Events moved to a dead-letter topic',
      m.deadLettered.labels,
    );
    this.deadLetterWriteFailuresTotal = metrics.counter(
      m.deadLetterWriteFailures.name,
      'Dead letters not written in time or refused, per try, by source topic; the record waits meanwhile',
      m.deadLetterWriteFailures.labels,
    );
    this.duplicatesSkippedTotal = metrics.counter(
      m.duplicatesSkipped.name,
      'Events skipped because the inbox had already processed them',
      m.duplicatesSkipped.labels,
    );
    this.handlerDuration = metrics.histogram(
      m.handlerDuration.name,
      'Event handler duration in seconds',
      m.handlerDuration.labels,
      EVENT_HANDLER_BUCKETS,
    );
    this.consumerLag = metrics.gauge(
      m.consumerLag.name,
      'Messages behind the log end, per partition',
      m.consumerLag.labels,
    );
    this.outboxBacklog = metrics.gauge(
      m.outboxBacklog.name,
      'Outbox rows not yet published',
      m.outboxBacklog.labels,
    );
  }

  /** `count` lets a batch handler record a whole batch at once. */
  consumed(topic: string, type: string, outcome: EventOutcome, count = 1): void {
    this.consumedTotal.inc({ topic, type, outcome }, count);
  }

  published(topic: string, type: string, count = 1): void {
    this.publishedTotal.inc({ topic, type }, count);
  }

  failed(topic: string, type: string, reason: string): void {
    this.failedTotal.inc({ topic, type, reason });
  }

  retried(topic: string, type: string): void {
    this.retriedTotal.inc({ topic, type });
  }

  deadLettered(topic: string, reason: string): void {
    this.deadLetteredTotal.inc({ topic, reason });
  }

  /** `topic` is the record's own topic, as in `deadLettered`, not its dead-letter topic. */
  deadLetterWriteFailed(topic: string): void {
    this.deadLetterWriteFailuresTotal.inc({ topic });
  }

  duplicateSkipped(topic: string, type: string, count = 1): void {
    this.duplicatesSkippedTotal.inc({ topic, type }, count);
  }

  observeHandler(topic: string, type: string, seconds: number): void {
    this.handlerDuration.observe({ topic, type }, seconds);
  }

  setLag(group: string, topic: string, partition: number, lag: number): void {
    this.consumerLag.set({ group, topic, partition: String(partition) }, lag);
  }

  /** For a partition the group's member here no longer reads: another member reports it now. */
  removeLag(group: string, topic: string, partition: number): void {
    this.consumerLag.remove({ group, topic, partition: String(partition) });
  }

  setOutboxBacklog(count: number): void {
    this.outboxBacklog.set({ service: this.service }, count);
  }
}
