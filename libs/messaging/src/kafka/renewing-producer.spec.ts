import { KafkaJSNonRetriableError, KafkaJSProtocolError, type ProducerBatch } from 'kafkajs';
import { RenewingProducer, type RawProducer } from './renewing-producer';

const BATCH: ProducerBatch = { topicMessages: [{ topic: 'stay-completed', messages: [{ value: 'x' }] }] };

function outOfSequence(): Error {
  const refusal = new KafkaJSProtocolError('The broker received an out of order sequence number');
  Object.assign(refusal, { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', code: 45 });
  // kafkajs's retrier hands a non-retriable protocol error on wrapped, with the original as cause.
  return Object.assign(new KafkaJSNonRetriableError(refusal), { cause: refusal });
}

/** Producers as the wrapper creates them; each records what was done to it and fails as scripted. */
function scriptedProducers(failures: (Error | undefined)[]) {
  const made: { calls: string[] }[] = [];
  const create = (): RawProducer => {
    const calls: string[] = [];
    made.push({ calls });
    return {
      connect: async () => void calls.push('connect'),
      disconnect: async () => void calls.push('disconnect'),
      sendBatch: async () => {
        calls.push('send');
        const failure = failures.shift();
        if (failure) throw failure;
      },
    };
  };
  return { made, create };
}

describe('RenewingProducer', () => {
  it('should fail the refused send, then send through a new, connected producer and let the old one go', async () => {
    const { made, create } = scriptedProducers([outOfSequence()]);
    const warnings: string[] = [];
    const producer = new RenewingProducer(create, (_fields, message) => warnings.push(message));
    await producer.connect();
    await expect(producer.sendBatch(BATCH)).rejects.toThrow('out of order sequence number');
    await producer.sendBatch(BATCH);
    await producer.sendBatch(BATCH);
    expect(made.map((p) => p.calls)).toEqual([
      ['connect', 'send', 'disconnect'],
      ['connect', 'send', 'send'],
    ]);
    expect(warnings).toEqual([expect.stringContaining('new producer')]);
  });

  it('should keep its producer through errors that say nothing against the producer id', async () => {
    const { made, create } = scriptedProducers([new KafkaJSNonRetriableError('Connection timeout')]);
    const producer = new RenewingProducer(create, () => undefined);
    await producer.connect();
    await expect(producer.sendBatch(BATCH)).rejects.toThrow('Connection timeout');
    await producer.sendBatch(BATCH);
    expect(made.map((p) => p.calls)).toEqual([['connect', 'send', 'send']]);
  });
});
