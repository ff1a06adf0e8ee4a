import { ConsumerStoppingError, SendUnconfirmed } from '../errors';
import type { IncomingMessage, OutgoingMessage, ProducerPort } from '../kafka/broker-client';
import { DeadLetterWriter } from './dead-letter-writer';

const source = { topic: 'stay-completed', partition: 2, offset: '41' } as IncomingMessage;
const letter: OutgoingMessage = { topic: 'stay-completed.dlq', key: 'k', value: 'v', headers: {} };

interface PendingSend {
  topic: string;
  producer: number;
  signal?: AbortSignal;
  acknowledge: () => void;
  fail: (error: unknown) => void;
}

/**
 * Producers whose sends wait until the test settles them, as kafkajs's do while a topic is missing;
 * `connectFailures` of them, in order of creation, fail to connect; with `holdConnects`, each connect
 * waits until the test ends it (`connects`); those in `failingDisconnects` fail to disconnect.
 */
function producersAnsweringOnDemand(
  connectFailures = 0,
  { holdConnects = false, failingDisconnects = [] as number[] } = {},
) {
  const sends: PendingSend[] = [];
  const disconnected: number[] = [];
  const connects: (() => void)[] = [];
  let created = 0;
  const newProducer = (): ProducerPort => {
    const producer = ++created;
    return {
      connect: () => {
        if (producer <= connectFailures) return Promise.reject(new Error('broker unreachable'));
        return holdConnects ? new Promise<void>((connected) => connects.push(connected)) : Promise.resolve();
      },
      disconnect: async () => {
        if (failingDisconnects.includes(producer)) throw new Error('connection reset');
        disconnected.push(producer);
      },
      send: (messages: OutgoingMessage[], { signal }: { signal?: AbortSignal } = {}) =>
        new Promise<void>((acknowledge, fail) => {
          sends.push({ topic: messages[0].topic, producer, signal, acknowledge, fail });
          signal?.addEventListener('abort', () => fail(new SendUnconfirmed(signal.reason)));
        }),
    };
  };
  return { newProducer, sends, disconnected, connects, created: () => created };
}

function writerOn(
  newProducer: () => ProducerPort,
  settings = { deadLetterSendTimeoutMs: 100, deadLetterStuckMs: 250 },
) {
  const failures: string[] = [];
  const livenessFailures: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const writer = new DeadLetterWriter(
    newProducer,
    settings,
    { deadLetterWriteFailed: (topic) => failures.push(topic) },
    { failLiveness: (reason) => livenessFailures.push(reason) },
    { warn: (message: string) => warnings.push(message), error: (message: string) => errors.push(message) },
  );
  return { writer, failures, livenessFailures, errors, warnings };
}

// The clock is the test's, so a slow machine cannot move a deadline past an assertion.
const sleep = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('DeadLetterWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should report each deadline a send misses and fail liveness past the bound, while waiting for that one send', async () => {
    const { newProducer, sends } = producersAnsweringOnDemand();
    const { writer, failures, livenessFailures, errors } = writerOn(newProducer);
    const written = writer.write(letter, source, () => false);

    await sleep(180);
    expect(failures).toEqual(['stay-completed']);
    expect(errors[0]).toMatch(
      /^could not write the dead letter of stay-completed\[2\]@41 to stay-completed\.dlq, failing for 0\.1 s;/,
    );
    expect(livenessFailures).toEqual([]);

    await sleep(250);
    expect(livenessFailures).toEqual([
      'dead letters of stay-completed[2] not written to stay-completed.dlq for over 0.3 s',
    ]);
    const reported = failures.length;
    expect(reported).toBeGreaterThanOrEqual(3);

    sends[0].acknowledge();
    await written;
    expect(sends).toHaveLength(1);
    expect(livenessFailures).toHaveLength(1);
  });

  it('should stop waiting once its consumer stops, and take the send back', async () => {
    const { newProducer, sends } = producersAnsweringOnDemand();
    const { writer } = writerOn(newProducer);
    let stopping = false;
    const written = writer.write(letter, source, () => stopping);
    await sleep(10);
    stopping = true;
    const outcome = expect(written).rejects.toBeInstanceOf(ConsumerStoppingError);

    await sleep(250);
    await outcome;
    expect(sends[0].signal?.aborted).toBe(true);
  });

  it('should send again after a back-off when the producer gives the send up, counting the failure', async () => {
    const { newProducer, sends } = producersAnsweringOnDemand();
    const { writer, failures, errors } = writerOn(newProducer);
    const written = writer.write(letter, source, () => false);
    await sleep(10);
    sends[0].fail(new Error('Topic authorization failed'));
    await sleep(10);
    expect(failures).toEqual(['stay-completed']);
    expect(errors[0]).toMatch(/attempt 1: Error: Topic authorization failed$/);
    expect(sends).toHaveLength(1);

    await sleep(1_100);
    expect(sends).toHaveLength(2);
    sends[1].acknowledge();
    await written;
  });

  it('should fail liveness at its bound when the bound is shorter than the send deadline', async () => {
    const { newProducer, sends } = producersAnsweringOnDemand();
    const { writer, livenessFailures } = writerOn(newProducer, {
      deadLetterSendTimeoutMs: 60_000,
      deadLetterStuckMs: 1_000,
    });
    const written = writer.write(letter, source, () => false);

    await sleep(999);
    expect(livenessFailures).toEqual([]);
    await sleep(2);
    expect(livenessFailures).toHaveLength(1);

    sends[0].acknowledge();
    await written;
  });

  it("should write a letter to another topic while one topic's letter waits, through a producer per topic", async () => {
    const { newProducer, sends, disconnected } = producersAnsweringOnDemand();
    const { writer } = writerOn(newProducer);
    const stuck = writer.write(letter, source, () => false);
    await sleep(10);
    const otherSource = { topic: 'guest-merged', partition: 0, offset: '7' } as IncomingMessage;
    const other = writer.write({ ...letter, topic: 'guest-merged.dlq' }, otherSource, () => false);
    await sleep(10);
    expect(sends.map(({ topic, producer }) => [topic, producer])).toEqual([
      ['stay-completed.dlq', 1],
      ['guest-merged.dlq', 2],
    ]);
    sends[1].acknowledge();
    await other;

    const sameTopic = writer.write(letter, { ...source, partition: 3 }, () => false);
    await sleep(10);
    expect(sends[2]).toMatchObject({ topic: 'stay-completed.dlq', producer: 1 });
    sends[0].acknowledge();
    sends[2].acknowledge();
    await Promise.all([stuck, sameTopic]);
    await writer.close();
    expect(disconnected.sort()).toEqual([1, 2]);
  });

  it('should count a failed connect as a failed send, and send again through a new producer', async () => {
    const { newProducer, sends, disconnected, created } = producersAnsweringOnDemand(1);
    const { writer, failures, errors } = writerOn(newProducer);
    const written = writer.write(letter, source, () => false);
    await sleep(10);
    expect(failures).toEqual(['stay-completed']);
    expect(errors[0]).toMatch(/attempt 1: Error: broker unreachable$/);
    expect(disconnected).toEqual([1]);

    await sleep(1_100);
    expect(created()).toBe(2);
    expect(sends).toEqual([expect.objectContaining({ producer: 2 })]);
    sends[0].acknowledge();
    await written;
  });

  it('should close a producer still connecting once it connects, and the others though one fails to close', async () => {
    const { newProducer, disconnected, connects } = producersAnsweringOnDemand(0, {
      holdConnects: true,
      failingDisconnects: [1],
    });
    const { writer, warnings } = writerOn(newProducer);
    let stopping = false;
    const writes = ['stay-completed.dlq', 'guest-merged.dlq'].map((topic) =>
      writer.write({ ...letter, topic }, source, () => stopping).catch((error: unknown) => error),
    );
    await sleep(10);
    connects[0]();
    await sleep(10);
    stopping = true;
    await sleep(300);
    expect(await Promise.all(writes)).toEqual([
      expect.any(ConsumerStoppingError),
      expect.any(ConsumerStoppingError),
    ]);

    await writer.close();
    expect(warnings).toEqual([
      'could not disconnect the producer of stay-completed.dlq: Error: connection reset',
    ]);
    expect(disconnected).toEqual([2]);
    connects[1]();
    await sleep(10);
    expect(disconnected).toEqual([2, 2]);
  });
});
