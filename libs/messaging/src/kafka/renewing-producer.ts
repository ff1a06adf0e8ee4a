import type { ProducerBatch } from 'kafkajs';
import { kafkaErrorTypes } from './kafka-error-types';

/** The part of a kafkajs producer this wrapper uses. */
export interface RawProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  sendBatch(batch: ProducerBatch): Promise<unknown>;
}

// After these the broker takes no more records from the producer id: its sequences are lost or broken.
const PRODUCER_REFUSED = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

function refusesProducer(error: unknown): boolean {
  return kafkaErrorTypes(error).some((type) => PRODUCER_REFUSED.has(type));
}

/**
 * An idempotent producer that survives the broker refusing its producer id. kafkajs keeps the id and
 * its sequence numbers across reconnects, so once the broker has answered OUT_OF_ORDER_SEQUENCE_NUMBER
 * every later send fails the same way until the process restarts. Here the send that met the refusal
 * fails (its caller retries, as for any failed send), and the next one goes through a new producer: a
 * new id whose sequences start at zero.
 */
export class RenewingProducer {
  private current: RawProducer;
  private connectBeforeSending = false;

  constructor(
    private readonly create: () => RawProducer,
    private readonly warn: (fields: object, message: string) => void,
  ) {
    this.current = create();
  }

  connect(): Promise<void> {
    return this.current.connect();
  }

  disconnect(): Promise<void> {
    return this.current.disconnect();
  }

  async sendBatch(batch: ProducerBatch): Promise<void> {
    if (this.connectBeforeSending) {
      await this.current.connect();
      this.connectBeforeSending = false;
    }
    try {
      await this.current.sendBatch(batch);
    } catch (error) {
      if (refusesProducer(error)) this.renew(error);
      throw error;
    }
  }

  private renew(reason: unknown): void {
    this.warn(
      { err: reason },
      'the broker refuses this producer id; the next send goes through a new producer',
    );
    const refused = this.current;
    this.current = this.create();
    this.connectBeforeSending = true;
    void refused.disconnect().catch(() => undefined);
  }
}
