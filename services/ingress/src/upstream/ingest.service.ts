import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { eventHeaders, partitionKey, topicName } from '@loyalty/contracts';
import {
  BROKER_CLIENT,
  SendNotStarted,
  type BrokerClient,
  type OutgoingMessage,
  type ProducerPort,
} from '@loyalty/messaging';
import { EventMetrics, MetricsService } from '@loyalty/observability';
import { isCancelledStatement, isContention, isTransientDatabaseError } from '@loyalty/persistence';
import { IngressConfig } from '../config/ingress.config';
import type { UpstreamSystem } from './api-keys';
import {
  checkItems,
  idReused,
  sameContent,
  type CheckedItems,
  type CheckedItem,
  type ItemResult,
} from './check-items';
import {
  busy,
  contended,
  databaseUnavailable,
  publishNotStarted,
  publishUnconfirmed,
  RetryLater,
} from './retry-later';
import { Slots } from './slots';

// Long enough for a broker to elect new partition leaders; short enough that a backlog drains soon.
const UNCONFIRMED_RETRY_AFTER_SECONDS = 5;
// The other request holds its ids until Kafka acknowledges it, which usually takes milliseconds.
const CONTENDED_RETRY_AFTER_SECONDS = 1;
// Long enough for a connection to come back, or for the requests before it to have been answered.
const DATABASE_RETRY_AFTER_SECONDS = 5;
// Connections the ingestion leaves to the readiness check and the outbox relay, so a slow Kafka, which
// keeps every request's transaction open, does not make the instance look down.
const CONNECTIONS_KEPT_FOR_OTHERS = 2;
// As long as the pool itself lets a caller wait for a connection: a request waiting longer answers 503.
const TRANSACTION_WAIT_MS = 5_000;

/** The stored state of an id received before. */
interface StoredEvent {
  fingerprint: string | null;
  confirmed: boolean;
  /** The upstream system that sent it first. */
  system: string;
}

type SendOutcome = { confirmed: true } | { confirmed: false; cause: unknown };

/** The ids of a request that another system recorded first, by that system. */
type Claimed = Map<string, Set<string>>;

interface Recorded {
  published: { topic: string; type: string }[];
  claimed: Claimed;
  /** Why Kafka did not confirm the events sent; the fresh ids were kept as unconfirmed. */
  unconfirmedBecause?: unknown;
}

/**
 * What Kafka confirmed for a request, kept outside its transaction: should the commit then fail, the
 * events are out, and their ids are recorded again so that a re-send is answered as one.
 */
interface ConfirmedSend {
  /** The ids the request recorded, with their type and content. */
  fresh: CheckedItem[];
  /** The unconfirmed ids it sent again. */
  sentAgain: string[];
  recorded: Recorded;
}

/**
 * Puts upstream events on Kafka (acks=all) before answering, once per event id: the ids are recorded
 * in the same transaction that is committed only after the broker acknowledged (and again, in one of
 * their own, should that commit fail). A request whose events
 * never left (503) leaves no record and the sender's retry goes through; one whose send started but was
 * not acknowledged in time keeps its ids as unconfirmed, with their content, since the events may still
 * land: the same content sent again is published again, other content under those ids is refused.
 */
@Injectable()
export class IngestService implements OnModuleInit, OnApplicationShutdown {
  private readonly producer: ProducerPort;
  private readonly logger = new Logger(IngestService.name);
  private readonly transactions: Slots;
  private readonly claimedIds: Counter<'system' | 'recorded_by'>;

  constructor(
    @Inject(BROKER_CLIENT) broker: BrokerClient,
    private readonly dataSource: DataSource,
    private readonly config: IngressConfig,
    private readonly metrics: EventMetrics,
    metricsService: MetricsService,
  ) {
    this.producer = broker.producer();
    this.transactions = new Slots(Math.max(1, config.DATABASE_POOL_SIZE - CONNECTIONS_KEPT_FOR_OTHERS));
    this.claimedIds = metricsService.counter(
      'ingress_event_ids_claimed_total',
      'Event ids an upstream system sent that another system had sent first',
      ['system', 'recorded_by'],
    );
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }

  async ingest(items: unknown[], system: UpstreamSystem): Promise<ItemResult[]> {
    const checked = checkItems(items, system);
    if (checked.valid.length === 0) return checked.results;
    const send: { confirmed?: ConfirmedSend } = {};
    let recorded: Recorded;
    try {
      recorded = await this.inTransaction((manager) => this.recordAndPublish(manager, checked, system, send));
    } catch (error) {
      if (!send.confirmed) throw error;
      recorded = await this.recordAfterFailedCommit(send.confirmed, system, error);
    }
    if (recorded.unconfirmedBecause !== undefined) {
      throw publishUnconfirmed(UNCONFIRMED_RETRY_AFTER_SECONDS, recorded.unconfirmedBecause);
    }
    // Counted once the ids are recorded: a failed commit answers 503 and the sender's retry counts them.
    for (const { topic, type } of recorded.published) this.metrics.published(topic, type);
    this.reportClaimed(system, recorded.claimed);
    return checked.results;
  }

  /**
   * Ids are global downstream, so another system's id is answered as a re-send or a reused id like any
   * other; a system doing so is likely misconfigured or impersonating a property, which only operators
   * can tell. Names the systems and the ids, never the events' content.
   */
  private reportClaimed(system: UpstreamSystem, claimed: Claimed): void {
    for (const [recordedBy, ids] of claimed) {
      this.claimedIds.inc({ system: system.name, recorded_by: recordedBy }, ids.size);
      this.logger.warn({
        msg: 'an upstream system sent event ids another system had sent first',
        system: system.name,
        recordedBy,
        eventIds: [...ids],
      });
    }
  }

  /**
   * Records the ids of events Kafka confirmed when the transaction that recorded them failed after the
   * send (at its commit, say): otherwise a re-send would be published again, and another event under one
   * of those ids published as new, to be dropped downstream as a duplicate. Answers as the request would
   * have; when the ids cannot be recorded either, answers the commit's failure (a re-send then publishes
   * the same events again, which consumers skip).
   */
  private async recordAfterFailedCommit(
    { fresh, sentAgain, recorded }: ConfirmedSend,
    system: UpstreamSystem,
    commitFailure: unknown,
  ): Promise<Recorded> {
    const eventIds = [...fresh.map((item) => item.id), ...sentAgain];
    try {
      await this.inTransaction(async (manager) => {
        await this.insertIds(manager, fresh, system);
        await this.setConfirmed(manager, new Set(sentAgain), true);
      });
      this.logger.warn({
        msg: 'recording the ids failed after Kafka confirmed their events; recorded them again',
        err: commitFailure,
        events: eventIds.length,
      });
      return recorded;
    } catch (error) {
      this.logger.error({
        msg: 'events are on Kafka but their ids could not be recorded; a re-send of them will be published again',
        err: error,
        commitFailure,
        eventIds,
      });
      throw commitFailure;
    }
  }

  /** Runs `work` in a transaction once one of ingestion's connections is free, or answers 503. */
  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let release: () => void;
    try {
      release = await this.transactions.take(AbortSignal.timeout(TRANSACTION_WAIT_MS));
    } catch (error) {
      throw busy(DATABASE_RETRY_AFTER_SECONDS, error);
    }
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof RetryLater) throw error;
      if (isContention(error)) throw contended(CONTENDED_RETRY_AFTER_SECONDS, error);
      // A statement past `statement_timeout` is not an outage to a consumer, but here the sender holds the
      // events and can send them again once the database is less loaded.
      if (isTransientDatabaseError(error) || isCancelledStatement(error))
        throw databaseUnavailable(DATABASE_RETRY_AFTER_SECONDS, error);
      throw error;
    } finally {
      release();
    }
  }

  /**
   * Records the ids new to the platform, judges the others and publishes the new ones' events, and
   * again those of unconfirmed ids sent again with their content.
   */
  private async recordAndPublish(
    manager: EntityManager,
    { results, valid, repeats }: CheckedItems,
    system: UpstreamSystem,
    send: { confirmed?: ConfirmedSend },
  ): Promise<Recorded> {
    const freshIds = await this.insertIds(manager, valid, system);
    const { sentAgain, claimed } = await this.judgeResent(
      manager,
      [...valid, ...repeats].filter((item) => !freshIds.has(item.id)),
      results,
      system,
    );
    // Published in the batch's order: Kafka keeps a key's events in the order they are sent.
    const toPublish = [...valid.filter((v) => freshIds.has(v.id)), ...sentAgain.values()].sort(
      (a, b) => a.index - b.index,
    );
    if (toPublish.length === 0) return { published: [], claimed };
    const messages = toPublish.map(({ event }) => ({
      topic: topicName(event.type, this.config.KAFKA_TOPIC_PREFIX),
      key: partitionKey(event.envelope),
      value: JSON.stringify(event.envelope),
      headers: eventHeaders(event.envelope),
    }));
    const sent = await this.publish(messages);
    if (!sent.confirmed) {
      await this.setConfirmed(manager, freshIds, false);
      return { published: [], claimed, unconfirmedBecause: sent.cause };
    }
    const recorded = {
      published: toPublish.map(({ event }, i) => ({ topic: messages[i].topic, type: event.type })),
      claimed,
    };
    send.confirmed = {
      fresh: valid.filter((item) => freshIds.has(item.id)),
      sentAgain: [...sentAgain.keys()],
      recorded,
    };
    await this.setConfirmed(manager, new Set(sentAgain.keys()), true);
    return recorded;
  }

  /**
   * Records the ids not recorded before, with their type, sender and content, as confirmed (a send that
   * is not sets them back); returns those. The rows
   * stay locked until the transaction ends, after Kafka's acknowledgement: inserted in one order by
   * every request, two batches sharing ids wait for each other instead of deadlocking.
   */
  private async insertIds(
    manager: EntityManager,
    items: readonly CheckedItem[],
    system: UpstreamSystem,
  ): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const inIdOrder = [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
    const inserted: { event_id: string }[] = await manager.query(
      `insert into ingested_events (event_id, event_type, system, fingerprint)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
       on conflict do nothing returning event_id`,
      [
        inIdOrder.map((v) => v.id),
        inIdOrder.map((v) => v.event.type),
        inIdOrder.map(() => system.name),
        inIdOrder.map((v) => v.fingerprint),
      ],
    );
    return new Set(inserted.map((row) => row.event_id));
  }

  /**
   * An id received before is a re-send when its content is the same (or was received before content was
   * fingerprinted), and another event under a reused id otherwise: answered as such, never dropped as a
   * duplicate, so a corrected event sent under its old id is not lost without a word. Every copy of the
   * id in the batch is judged against the stored event, not against the batch's first copy. A re-send of
   * an unconfirmed id is sent again: the first copy in the batch with the stored content, which need not
   * be the batch's first copy of the id (`sentAgain`, by id). The ids another system sent first are
   * `claimed`.
   */
  private async judgeResent(
    manager: EntityManager,
    resent: CheckedItem[],
    results: ItemResult[],
    system: UpstreamSystem,
  ): Promise<{ sentAgain: Map<string, CheckedItem>; claimed: Claimed }> {
    const sentAgain = new Map<string, CheckedItem>();
    const claimed: Claimed = new Map();
    if (resent.length === 0) return { sentAgain, claimed };
    const earlier: ({ event_id: string } & StoredEvent)[] = await manager.query(
      'select event_id, fingerprint, confirmed, system from ingested_events where event_id = any($1::uuid[])',
      [resent.map((item) => item.id)],
    );
    const storedUnder = new Map(earlier.map(({ event_id, ...stored }) => [event_id, stored]));
    for (const item of resent) {
      const { index, id } = item;
      const stored = storedUnder.get(id);
      if (stored && stored.system !== system.name) {
        claimed.set(stored.system, (claimed.get(stored.system) ?? new Set()).add(id));
      }
      if (!sameContent(stored?.fingerprint, item)) {
        results[index] = idReused(index, id);
      } else if (stored?.confirmed === false && !sentAgain.has(id)) {
        sentAgain.set(id, item);
        results[index] = { index, id, status: 'accepted' };
      } else {
        results[index] = { index, id, status: 'duplicate' };
      }
    }
    return { sentAgain, claimed };
  }

  private async setConfirmed(manager: EntityManager, ids: Set<string>, confirmed: boolean): Promise<void> {
    if (ids.size === 0) return;
    await manager.query('update ingested_events set confirmed = $2 where event_id = any($1::uuid[])', [
      [...ids],
      confirmed,
    ]);
  }

  /**
   * Sends and waits for the acknowledgement, at most INGRESS_PUBLISH_TIMEOUT_MS. Events still waiting
   * for their turn to be sent then are taken back, never sent (503, the transaction rolls back); events
   * sent but not acknowledged in time may still land, and are reported unconfirmed.
   */
  private async publish(messages: OutgoingMessage[]): Promise<SendOutcome> {
    const ms = this.config.INGRESS_PUBLISH_TIMEOUT_MS;
    try {
      await this.producer.send(messages, { signal: AbortSignal.timeout(ms) });
      return { confirmed: true };
    } catch (error) {
      if (error instanceof SendNotStarted) {
        this.logger.warn({
          msg: 'events not sent: the sends before them were not acknowledged in time; answering 503',
          err: error,
          events: messages.length,
        });
        throw publishNotStarted(UNCONFIRMED_RETRY_AFTER_SECONDS, error);
      }
      this.logger.warn({
        msg: 'events sent but not confirmed by Kafka; kept as unconfirmed, answering 503',
        err: error,
        events: messages.length,
      });
      return { confirmed: false, cause: error };
    }
  }
}
