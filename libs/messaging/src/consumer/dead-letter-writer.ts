import type { Logger } from '@nestjs/common';
import type { EventMetrics, HealthRegistry } from '@loyalty/observability';
import { ConsumerStoppingError } from '../errors';
import type { IncomingMessage, OutgoingMessage, ProducerPort } from '../kafka/broker-client';
import { isRefusedAsTooLarge, withoutValue } from './dead-letter';
import { awaitUnlessStopping, pause } from './stoppable-wait';

export interface DeadLetterWriteSettings {
  /**
   * How long a dead letter waits for the broker's acknowledgement before the wait is logged as an error
   * and counted (`dead_letter_write_failures_total`), and again each time as long passes.
   */
  deadLetterSendTimeoutMs: number;
  /**
   * How long a record's dead letter may go unwritten before liveness fails, so that a restart, which
   * creates the missing dead-letter topics, or a person looks at it. The record waits meanwhile.
   */
  deadLetterStuckMs: number;
}

interface DeadLetterProducer {
  port: ProducerPort;
  connected: Promise<void>;
  connecting: boolean;
}

/**
 * Writes a record's dead letter, however long that takes: the record's offset is committed only after
 * it, so its partition waits and nothing is lost. The producer retries a letter whose topic is missing
 * or unwritable without end and without a word, so here the waiting is what gets reported: an error and
 * a count each `deadLetterSendTimeoutMs`, and liveness fails after `deadLetterStuckMs`.
 *
 * Each dead-letter topic has a producer of its own, connected for its first letter: a producer sends one
 * request at a time, so a letter its topic never takes would otherwise hold every other topic's letters
 * behind it.
 */
export class DeadLetterWriter {
  private readonly producers = new Map<string, DeadLetterProducer>();

  constructor(
    private readonly newProducer: () => ProducerPort,
    private readonly settings: DeadLetterWriteSettings,
    private readonly metrics: Pick<EventMetrics, 'deadLetterWriteFailed'>,
    private readonly health: Pick<HealthRegistry, 'failLiveness'>,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
  ) {}

  /** Throws `ConsumerStoppingError`, the letter perhaps unwritten, once `stopping()`. */
  async write(letter: OutgoingMessage, source: IncomingMessage, stopping: () => boolean): Promise<void> {
    const at = `${source.topic}[${source.partition}]@${source.offset}`;
    const since = Date.now();
    let livenessFailed = false;
    const failed = (why: string) => {
      const failingMs = Date.now() - since;
      this.metrics.deadLetterWriteFailed(source.topic);
      this.logger.error(
        `could not write the dead letter of ${at} to ${letter.topic}, failing for ${seconds(failingMs)} s; ` +
          `the record waits and is not committed: ${why}`,
      );
      if (livenessFailed || failingMs < this.settings.deadLetterStuckMs) return;
      livenessFailed = true;
      this.health.failLiveness(
        `dead letters of ${source.topic}[${source.partition}] not written to ${letter.topic} ` +
          `for over ${seconds(this.settings.deadLetterStuckMs)} s`,
      );
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send(letter, stopping, () =>
          failed(`no acknowledgement yet; still waiting for the same send, which the producer retries`),
        );
        return;
      } catch (error) {
        if (error instanceof ConsumerStoppingError) throw error;
        if (isRefusedAsTooLarge(error) && letter.value !== null) {
          this.logger.warn(
            `the dead letter of ${at} is too large for ${letter.topic}; writing it without its value`,
          );
          letter = withoutValue(letter);
          continue;
        }
        failed(`attempt ${attempt}: ${String(error)}`);
        await pause(Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)), stopping);
      }
    }
  }

  /**
   * The deadline is on the waiting, not on the send. Aborting the send at the deadline would either take
   * it out of the producer's queue, only to queue it again behind the same request that does not end, or,
   * once it has left, leave it going inside kafkajs (`SendUnconfirmed`) with its retry queued behind it:
   * both letters would then land when the topic comes back. Going on waiting for the same send writes the
   * letter once, and keeps one send per partition whatever the outage's length. A send the producer
   * gives up on (an error) is sent again after a back-off.
   */
  private async send(
    letter: OutgoingMessage,
    stopping: () => boolean,
    stillWaiting: () => void,
  ): Promise<void> {
    const leave = new AbortController();
    const { port, connected } = this.producerFor(letter.topic);
    const sending = connected.then(() => port.send([letter], { signal: leave.signal }));
    try {
      // Liveness is judged at each report, so a bound shorter than the deadline is reported at too.
      const { deadLetterSendTimeoutMs, deadLetterStuckMs } = this.settings;
      const everyMs = Math.min(deadLetterSendTimeoutMs, deadLetterStuckMs);
      await awaitUnlessStopping(sending, stopping, everyMs, stillWaiting);
    } catch (error) {
      // A letter still queued is taken back. One that left may still land: given again after the
      // shutdown or rebalance, its record would then be dead-lettered twice, which a replay applies once.
      if (error instanceof ConsumerStoppingError) leave.abort(error);
      throw error;
    }
  }

  /** Disconnects every dead-letter topic's producer; one that fails to is logged, and the others still are. */
  async close(): Promise<void> {
    const producers = [...this.producers.entries()];
    this.producers.clear();
    const closed = await Promise.allSettled(
      producers.map(async ([, { port, connected, connecting }]) => {
        // kafkajs retries a connect through a disconnect, and may yet connect: that connection is closed too.
        if (connecting) void connected.then(() => port.disconnect()).catch(() => undefined);
        await port.disconnect();
      }),
    );
    closed.forEach((outcome, i) => {
      if (outcome.status === 'rejected')
        this.logger.warn(
          `could not disconnect the producer of ${producers[i][0]}: ${String(outcome.reason)}`,
        );
    });
  }

  private producerFor(topic: string): DeadLetterProducer {
    const existing = this.producers.get(topic);
    if (existing) return existing;
    const port = this.newProducer();
    const producer: DeadLetterProducer = { port, connected: port.connect(), connecting: true };
    this.producers.set(topic, producer);
    producer.connected.then(
      () => (producer.connecting = false),
      () => {
        producer.connecting = false;
        // A failed connect is a failed send, sent again after a back-off: through a producer connected anew.
        if (this.producers.get(topic) !== producer) return;
        this.producers.delete(topic);
        void port.disconnect().catch(() => undefined);
      },
    );
    return producer;
  }
}

function seconds(ms: number): string {
  return (ms / 1_000).toFixed(1);
}
