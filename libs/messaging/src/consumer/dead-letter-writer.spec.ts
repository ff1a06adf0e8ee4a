import { ConsumerStoppingError, SendUnconfirmed } from '../errors';
import type { IncomingMessage, OutgoingMessage, ProducerPort } from '../kafka/broker-client';
import { DeadLetterWriter } from './dead-letter-writer';

const source = { topic: 'stay-completed', partition: 2, offset: '41' } as IncomingMessage;
const letter: OutgoingMessage = { topic: 'stay-completed.dlq', key: 'k', value: 'v', headers: {} };

/** A producer whose sends wait until the test settles them, as kafkajs's do while a topic is missing. */
function producerAnsweringOnDemand() {
  const sends: { signal?: AbortSignal; acknowledge: () => void; fail: (error: unknown) => void }[] = [];
  const producer = {
    send: (_messages: OutgoingMessage[], { signal }: { signal?: AbortSignal } = {}) =>
      new Promise<void>((acknowledge, fail) => {
        sends.push({ signal, acknowledge, fail });
        signal?.addEventListener('abort', () => fail(new SendUnconfirmed(signal.reason)));
      }),
  } as ProducerPort;
  return { producer, sends };
}

function writerOn(
  producer: ProducerPort,
  settings = { deadLetterSendTimeoutMs: 100, deadLetterStuckMs: 250 },
) {
  const failures: string[] = [];
  const livenessFailures: string[] = [];
  const errors: string[] = [];
  const writer = new DeadLetterWriter(
    producer,
    settings,
    { deadLetterWriteFailed: (topic) => failures.push(topic) },
    { failLiveness: (reason) => livenessFailures.push(reason) },
    { warn: () => undefined, error: (message: string) => errors.push(message) },
  );
  return { writer, failures, livenessFailures, errors };
}

// The clock is the test's, so a slow machine cannot move a deadline past an assertion.
const sleep = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('DeadLetterWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should report each deadline a send misses and fail liveness past the bound, while waiting for that one send', async () => {
    const { producer, sends } = producerAnsweringOnDemand();
    const { writer, failures, livenessFailures, errors } = writerOn(producer);
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
    const { producer, sends } = producerAnsweringOnDemand();
    const { writer } = writerOn(producer);
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
    const { producer, sends } = producerAnsweringOnDemand();
    const { writer, failures, errors } = writerOn(producer);
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
    const { producer, sends } = producerAnsweringOnDemand();
    const { writer, livenessFailures } = writerOn(producer, {
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
});
