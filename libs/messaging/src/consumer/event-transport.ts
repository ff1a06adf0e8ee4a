import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import {
  eventTypeOfTopic,
  HANDLING_FAILURES,
  isEventType,
  parseEventBytes,
  topicName,
  validateReceivedEvent,
  type EventType,
  type ValidatedEvent,
} from '@loyalty/contracts';
import { CorrelationContext, type EventMetrics, type HealthRegistry } from '@loyalty/observability';
import { isTransientDatabaseError } from '@loyalty/persistence';
import type {
  BatchControl,
  BrokerClient,
  ConsumerPort,
  FetchSettings,
  IncomingMessage,
  PartitionBatch,
} from '../kafka/broker-client';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { ConsumerStoppingError, PermanentEventError } from '../errors';
import type { CrashPoints } from './crash-points';
import { deadLetterMessage } from './dead-letter';
import { DeadLetterWriter, type DeadLetterWriteSettings } from './dead-letter-writer';
import { EventContext } from './event-context';
import { backoffDelay, decideOnFailure, isHandlerFailure, type RetrySettings } from './failure-policy';
import { GroupCommit } from '../group-commit';
import { markDeadLettered, wasDeadLettered } from './dead-letter-marks';
import { claimInInbox } from './inbox';
import { Pacemaker } from './pacemaker';
import { pause } from './stoppable-wait';

export interface EventTransportSettings extends DeadLetterWriteSettings {
  /** Used as is: no `-server` suffix, unlike the stock Kafka transport. */
  groupId: string;
  topicPrefix: string;
  /** CloudEvents `source` of the events handlers publish. */
  source: string;
  retry: RetrySettings;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  partitionsConsumedConcurrently: number;
  /** Most events a batch handler receives in one transaction. */
  maxBatchSize: number;
  /**
   * Offsets are committed at least this often while a partition batch is being worked through, and the
   * offsets of all a consumer's partitions go to the broker together at most this often.
   */
  commitIntervalMs: number;
  /**
   * Event types read by a Kafka consumer of their own (see `laneGroupId`). kafkajs fetches again only
   * once every batch of its last fetch is handled, so in one shared consumer a busy topic holds up all
   * the others; a lane gives a hot topic its own fetch cycle. The types in no lane share one consumer.
   */
  lanes: readonly ConsumerLane[];
  /**
   * How long a fetch waits to gather (a lane may say otherwise): by default it returns as soon as there
   * is anything. A consumer off the guest-facing path can wait for larger batches, cheaper per event.
   */
  fetch: FetchSettings;
}

export interface ConsumerLane {
  types: readonly EventType[];
  fetch?: FetchSettings;
}

/**
 * The Kafka consumer group that reads `type`: `groupId` itself, or for a type in a lane, `groupId`
 * followed by the lane's types. The inbox is keyed by `groupId` in both cases, so moving a type into or
 * out of a lane re-reads its topic under the new group but never applies an event twice.
 */
export function laneGroupId(groupId: string, lanes: readonly ConsumerLane[], type: EventType): string {
  const lane = lanes.find(({ types }) => types.includes(type));
  return lane ? groupOfLane(groupId, lane) : groupId;
}

function groupOfLane(groupId: string, lane: ConsumerLane): string {
  return `${groupId}.${lane.types.join('+')}`;
}

/** Handlers declared with `@EventPattern(type, { batch: true })` receive arrays of events. */
export interface EventHandlerExtras {
  batch?: boolean;
}

interface Decoded {
  message: IncomingMessage;
  event?: ValidatedEvent;
  failure?: { reason: string; error: unknown };
  handler?: MessageHandler;
}

/**
 * A NestJS transport on the platform's broker client that turns at-least-once delivery into
 * effectively-once effects: each event is validated, then handled inside a Postgres transaction
 * together with its inbox row (a duplicate is acknowledged and skipped), and its offset is committed
 * only after that transaction. Failures retry in place (per-partition order is kept), then go to
 * `<topic>.dlq` with the reason; the consumer moves on.
 */
export class EventTransport extends Server implements CustomTransportStrategy {
  private readonly consumers: ConsumerPort[] = [];
  private deadLetterWriter?: DeadLetterWriter;
  private closing = false;
  private joins = 0;
  /** The `consumer_lag` series this process reports, by `lagSeriesKey`. */
  private readonly lagReported = new Map<string, LagSeries>();
  private readonly handlersByType = new Map<EventType, MessageHandler | undefined>();
  private readonly groupCommits = new Map<MessageHandler, GroupCommit<Decoded, Set<string>>>();
  protected override readonly logger = new Logger(EventTransport.name);

  constructor(
    private readonly broker: BrokerClient,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    private readonly metrics: EventMetrics,
    private readonly health: Pick<HealthRegistry, 'failLiveness'>,
    private readonly settings: EventTransportSettings,
    private readonly crashPoints: CrashPoints,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Finishes the event in flight, commits, leaves the group, then lets the relay flush the outbox. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.consumers.map((consumer) => consumer.disconnect()));
    this.logger.log(`consumers drained: offsets committed, left group ${this.settings.groupId}`);
    await this.deadLetterWriter?.close();
    await this.relay.stop();
    this.logger.log('outbox relay flushed and stopped');
  }

  /** How many times this member has joined its groups (one per lane); each rebalance it takes part in adds one. */
  get groupJoins(): number {
    return this.joins;
  }

  on(): void {
    // The transport emits no status events of its own.
  }

  unwrap<T>(): T {
    return this.consumers as T;
  }

  private async start(): Promise<void> {
    this.relay.start();
    const consumers = this.consumersToRun();
    if (consumers.size === 0) return;
    this.deadLetterWriter = new DeadLetterWriter(
      () => this.broker.producer({ compressed: true, eachSendAlone: true }),
      this.settings,
      this.metrics,
      this.health,
      this.logger,
    );
    await Promise.all([...consumers].map(([group, { topics, fetch }]) => this.consume(group, topics, fetch)));
  }

  /** Per Kafka group, the topics it reads and how it fetches. */
  private consumersToRun(): Map<string, { topics: string[]; fetch: FetchSettings }> {
    const types = [...this.getHandlers().keys()].map((pattern) => {
      if (!isEventType(pattern))
        throw new Error(`@EventPattern('${pattern}') names no event type of the contracts`);
      return pattern;
    });
    const laned = this.settings.lanes.flatMap((lane) => lane.types);
    const unhandled = laned.filter((type) => !types.includes(type));
    if (unhandled.length > 0)
      throw new Error(`lanes name ${unhandled.join(', ')}, which no handler consumes`);
    if (new Set(laned).size !== laned.length) throw new Error(`an event type is in more than one lane`);
    const { groupId, lanes, fetch, topicPrefix } = this.settings;
    const topicsOf = (of: readonly EventType[]) => of.map((type) => topicName(type, topicPrefix));
    const consumers = new Map<string, { topics: string[]; fetch: FetchSettings }>();
    const shared = types.filter((type) => !laned.includes(type));
    if (shared.length > 0) consumers.set(groupId, { topics: topicsOf(shared), fetch });
    for (const lane of lanes) {
      consumers.set(groupOfLane(groupId, lane), { topics: topicsOf(lane.types), fetch: lane.fetch ?? fetch });
    }
    return consumers;
  }

  private async consume(group: string, topics: string[], fetch: FetchSettings): Promise<void> {
    const consumer = this.broker.consumer({
      groupId: group,
      sessionTimeoutMs: this.settings.sessionTimeoutMs,
      heartbeatIntervalMs: this.settings.heartbeatIntervalMs,
      rebalanceTimeoutMs: this.settings.rebalanceTimeoutMs,
      partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
      fetch,
      commitIntervalMs: this.settings.commitIntervalMs,
    });
    this.consumers.push(consumer);
    consumer.onGroupJoin((assigned) => {
      this.joins++;
      const partitions = Object.values(assigned).reduce((n, numbers) => n + numbers.length, 0);
      this.logger.log(`joined group ${group} with ${partitions} partitions`);
      this.forgetLagOfPartitionsGone(group, assigned);
    });
    await consumer.connect();
    await consumer.subscribe(topics);
    await consumer.run((batch, control) => this.handlePartitionBatch(group, batch, control));
    this.logger.log(`consuming ${topics.length} topics as group ${group}`);
  }

  private async handlePartitionBatch(
    group: string,
    batch: PartitionBatch,
    control: BatchControl,
  ): Promise<void> {
    const pacemaker = new Pacemaker(control, this.settings.heartbeatIntervalMs);
    const decoded = batch.messages.map((message) => this.decode(message));
    let done: string | undefined;
    let committed: string | undefined;
    let uncommittedEvents = 0;
    let lastCommitAt = Date.now();
    try {
      for (let i = 0; i < decoded.length && !this.stopping(pacemaker);) {
        const first = decoded[i];
        const batchHandler = first.handler && isBatchHandler(first.handler);
        let next = i + 1;
        if (first.failure || !first.handler) {
          await this.deadLetter(first.message, first.failure ?? this.noHandler(first), 1, pacemaker);
        } else if (batchHandler) {
          while (
            next < decoded.length &&
            next - i < this.settings.maxBatchSize &&
            decoded[next].handler === first.handler &&
            !decoded[next].failure
          ) {
            next++;
          }
          await this.processChunk(decoded.slice(i, next), pacemaker);
        } else {
          await this.processOne(first, pacemaker);
        }
        done = decoded[next - 1].message.offset;
        uncommittedEvents += next - i;
        i = next;
        if (Date.now() - lastCommitAt >= this.settings.commitIntervalMs) {
          await this.commit(control, done, uncommittedEvents);
          committed = done;
          uncommittedEvents = 0;
          lastCommitAt = Date.now();
        }
      }
    } catch (error) {
      if (!(error instanceof ConsumerStoppingError)) throw error;
    } finally {
      pacemaker.stop();
      if (done !== undefined && done !== committed) await this.commit(control, done, uncommittedEvents);
      this.metrics.setLag(group, batch.topic, batch.partition, recordsBehind(batch, done));
      const series = { group, topic: batch.topic, partition: batch.partition };
      this.lagReported.set(lagSeriesKey(series), series);
    }
  }

  /**
   * A partition a rebalance gave to another member keeps the lag its last batch here left until it comes
   * back: a backlog stopped part way would read as lag for ever. Its series goes; the member reading it
   * now reports it.
   */
  private forgetLagOfPartitionsGone(
    group: string,
    assigned: Readonly<Record<string, readonly number[]>>,
  ): void {
    const kept = new Set(
      Object.entries(assigned).flatMap(([topic, partitions]) =>
        partitions.map((partition) => lagSeriesKey({ group, topic, partition })),
      ),
    );
    for (const [key, series] of this.lagReported) {
      if (series.group !== group || kept.has(key)) continue;
      this.metrics.removeLag(series.group, series.topic, series.partition);
      this.lagReported.delete(key);
    }
  }

  /** What the handler deferred to after its commit; the change is committed, so failures are only logged. */
  private async runAfterCommit(context: EventContext | undefined): Promise<void> {
    for (const action of context?.afterCommitActions ?? []) {
      try {
        await action();
      } catch (error) {
        this.logger.warn(`an after-commit action failed; the change itself is committed: ${String(error)}`);
      }
    }
  }

  private async commit(control: BatchControl, offset: string, events: number): Promise<void> {
    await control.commit(offset);
    this.crashPoints.reached('after-offset-commit', events);
  }

  private decode(message: IncomingMessage): Decoded {
    try {
      // The topic names the one event type it may carry; anything else is a contract violation too.
      const event = validateReceivedEvent(
        parseEventBytes(message.value),
        eventTypeOfTopic(message.topic, this.settings.topicPrefix) as EventType,
      );
      return { message, event, handler: this.handlerOf(event.envelope.type) };
    } catch (error) {
      const reason = (error as { code?: string }).code ?? 'INVALID_EVENT';
      return { message, failure: { reason, error } };
    }
  }

  /** Nest resolves a pattern by parsing and normalising it on every call; the handlers never change. */
  private handlerOf(type: EventType): MessageHandler | undefined {
    if (!this.handlersByType.has(type))
      this.handlersByType.set(type, this.getHandlerByPattern(type) ?? undefined);
    return this.handlersByType.get(type);
  }

  private noHandler(decoded: Decoded): { reason: string; error: unknown } {
    const type = decoded.event?.envelope.type ?? 'unknown';
    const reason = HANDLING_FAILURES.noHandler;
    return { reason, error: new PermanentEventError(reason, `no handler for ${type}`) };
  }

  private async processOne(decoded: Decoded, pacemaker: Pacemaker): Promise<void> {
    const event = decoded.event as ValidatedEvent;
    // Everything logged of the event, its retries and its dead letter too, carries its correlation id.
    await CorrelationContext.run(
      { correlationId: event.envelope.correlationid, causationId: event.envelope.id },
      () => this.applyOne(decoded, event, pacemaker),
    );
  }

  private async applyOne(decoded: Decoded, event: ValidatedEvent, pacemaker: Pacemaker): Promise<void> {
    const { message } = decoded;
    const type = event.envelope.type;
    let handlerFailures = 0;
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      let context: EventContext | undefined;
      try {
        const applied = await this.dataSource.transaction(async (manager) => {
          const claimed = await claimInInbox(manager, this.settings.groupId, [
            { eventId: event.envelope.id, eventType: type, message },
          ]);
          if (claimed.size === 0) return false;
          context = new EventContext(
            manager,
            { topic: message.topic, partition: message.partition, offset: message.offset, attempt },
            this.settings.source,
            event,
          );
          // A batch handler isolating a failed batch still receives an array.
          const handler = decoded.handler as MessageHandler;
          await this.invoke(handler, isBatchHandler(handler) ? [event] : event, context);
          await this.outbox.append(manager, context.pending);
          this.crashPoints.reached('before-db-commit', 1);
          return true;
        });
        this.crashPoints.reached('after-db-commit', 1);
        await this.runAfterCommit(context);
        this.metrics.observeHandler(message.topic, type, Number(process.hrtime.bigint() - started) / 1e9);
        if (applied) this.metrics.consumed(message.topic, type, 'processed');
        else this.metrics.duplicateSkipped(message.topic, type);
        return;
      } catch (error) {
        const decision = decideOnFailure(error, { attempt, handlerFailures }, this.settings.retry);
        if (isHandlerFailure(error)) handlerFailures++;
        this.metrics.failed(message.topic, type, decision.action === 'retry' ? 'retry' : decision.reason);
        if (decision.action === 'dead-letter') {
          await this.deadLetter(message, { reason: decision.reason, error }, attempt, pacemaker);
          return;
        }
        this.metrics.retried(message.topic, type);
        this.logger.warn(
          `${type} ${event.envelope.id} failed (attempt ${attempt}), retrying in ${decision.delayMs} ms: ${String(error)}`,
        );
        await this.pause(decision.delayMs, pacemaker);
      }
    }
  }

  /**
   * A run of events for one batch handler, in one transaction shared with the handler's batches from
   * other partitions that are waiting at the same time. If that shared attempt fails, this partition's
   * events are tried on their own: a database problem retries them, any other failure is isolated
   * event by event, so one partition's bad event never holds up another's.
   */
  private async processChunk(chunk: Decoded[], pacemaker: Pacemaker): Promise<void> {
    const items = uniqueEvents(chunk);
    const handler = chunk[0].handler as MessageHandler;
    const { type } = (chunk[0].event as ValidatedEvent).envelope;
    const { topic } = chunk[0].message;
    const counted = (applied: Set<string>) => {
      const fresh = items.filter((item) => applied.has(eventIdOf(item))).length;
      this.metrics.consumed(topic, type, 'processed', fresh);
      if (chunk.length > fresh) this.metrics.duplicateSkipped(topic, type, chunk.length - fresh);
    };
    try {
      counted(await this.groupCommitOf(handler).submit(items));
      return;
    } catch {
      this.metrics.retried(topic, type);
    }
    for (let attempt = 2; ; attempt++) {
      try {
        counted(await this.applyChunk(items, attempt));
        return;
      } catch (error) {
        if (isTransientDatabaseError(error)) {
          this.metrics.retried(topic, type);
          this.logger.warn(
            `batch of ${items.length} ${type} events hit a database problem, retrying: ${String(error)}`,
          );
          await this.pause(backoffDelay(attempt, this.settings.retry), pacemaker);
          continue;
        }
        this.logger.warn(
          `batch of ${items.length} ${type} events failed; isolating the culprit: ${String(error)}`,
        );
        for (const item of items) {
          if (this.stopping(pacemaker)) throw new ConsumerStoppingError();
          await this.processOne(item, pacemaker);
        }
        return;
      }
    }
  }

  private groupCommitOf(handler: MessageHandler): GroupCommit<Decoded, Set<string>> {
    let group = this.groupCommits.get(handler);
    if (!group) {
      group = new GroupCommit((items) => this.applyChunk(uniqueEvents(items), 1), this.settings.maxBatchSize);
      this.groupCommits.set(handler, group);
    }
    return group;
  }

  /** Hands the events of one type to their batch handler in one transaction; returns the ids applied. */
  private async applyChunk(items: Decoded[], attempt: number): Promise<Set<string>> {
    const first = items[0];
    const type = (first.event as ValidatedEvent).envelope.type;
    const topic = first.message.topic;
    const started = process.hrtime.bigint();
    let context: EventContext | undefined;
    const applied = await this.dataSource.transaction(async (manager) => {
      const claimed = await claimInInbox(
        manager,
        this.settings.groupId,
        items.map((item) => ({ eventId: eventIdOf(item), eventType: type, message: item.message })),
      );
      const fresh = items.filter((item) => claimed.has(eventIdOf(item)));
      if (fresh.length === 0) return claimed;
      const last = fresh[fresh.length - 1].message;
      context = new EventContext(
        manager,
        { topic, partition: last.partition, offset: last.offset, attempt },
        this.settings.source,
      );
      await this.invoke(
        first.handler as MessageHandler,
        fresh.map((item) => item.event as ValidatedEvent),
        context,
      );
      await this.outbox.append(manager, context.pending);
      this.crashPoints.reached('before-db-commit', items.length);
      return claimed;
    });
    this.crashPoints.reached('after-db-commit', items.length);
    await this.runAfterCommit(context);
    this.metrics.observeHandler(topic, type, Number(process.hrtime.bigint() - started) / 1e9);
    return applied;
  }

  private async invoke(handler: MessageHandler, payload: unknown, context: EventContext): Promise<void> {
    const result: unknown = await handler(payload, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async deadLetter(
    message: IncomingMessage,
    failure: { reason: string; error: unknown },
    attempts: number,
    pacemaker: Pacemaker,
  ): Promise<void> {
    const at = `${message.topic}[${message.partition}]@${message.offset}`;
    if (await this.deadLetteredBefore(message)) {
      this.logger.log(
        `${at} was dead-lettered before and is delivered again (an offset commit was lost); not written twice`,
      );
      return;
    }
    const letter = deadLetterMessage(
      message,
      { ...failure, attempts, consumerGroup: this.settings.groupId },
      new Date(),
    );
    await (this.deadLetterWriter as DeadLetterWriter).write(letter, message, () => this.stopping(pacemaker));
    await markDeadLettered(this.dataSource, this.settings.groupId, message, failure.reason).catch(
      (error: unknown) =>
        this.logger.warn(
          `could not mark ${at} as dead-lettered; delivered again, it would be written twice: ${String(error)}`,
        ),
    );
    this.metrics.deadLettered(message.topic, failure.reason);
    this.logger.warn(
      `dead-lettered ${at} after ${attempts} attempt(s): ${failure.reason}: ${String(
        (failure.error as Error)?.message ?? failure.error,
      )}`,
    );
  }

  /** When the database cannot tell, the letter is written: twice is better than never. */
  private async deadLetteredBefore(message: IncomingMessage): Promise<boolean> {
    try {
      return await wasDeadLettered(this.dataSource, this.settings.groupId, message);
    } catch (error) {
      this.logger.warn(
        `could not tell whether ${message.topic}[${message.partition}]@${message.offset} was dead-lettered before: ${String(error)}`,
      );
      return false;
    }
  }

  /** Waits between retries without holding up a shutdown or a rebalance. */
  private pause(ms: number, pacemaker: Pacemaker): Promise<void> {
    return pause(ms, () => this.stopping(pacemaker));
  }

  private stopping(pacemaker: Pacemaker): boolean {
    return !pacemaker.shouldContinue() || this.closing;
  }
}

function eventIdOf(item: Decoded): string {
  return (item.event as ValidatedEvent).envelope.id;
}

/** The first delivery of each event id: a redelivered duplicate in the same run is applied once. */
function uniqueEvents(items: Decoded[]): Decoded[] {
  const unique = new Map<string, Decoded>();
  for (const item of items) if (!unique.has(eventIdOf(item))) unique.set(eventIdOf(item), item);
  return [...unique.values()];
}

function isBatchHandler(handler: MessageHandler): boolean {
  return (handler.extras as EventHandlerExtras | undefined)?.batch === true;
}

/**
 * The `consumer_lag` a batch leaves: the partition's records, as far as the fetch saw them, after the last
 * one handled (after the fetch's last offset, a transaction marker's, once its last message is), or from
 * the batch's first when it was stopped before handling any.
 */
export function recordsBehind(batch: PartitionBatch, done: string | undefined): number {
  const end = Number(batch.highWatermark);
  const last = done !== undefined && done === batch.messages.at(-1)?.offset ? batch.lastOffset : done;
  const next = last !== undefined ? Number(last) + 1 : Number(batch.messages[0]?.offset ?? end);
  return end - next;
}

interface LagSeries {
  group: string;
  topic: string;
  partition: number;
}

function lagSeriesKey({ group, topic, partition }: LagSeries): string {
  return `${group}\u0000${topic}\u0000${partition}`;
}
