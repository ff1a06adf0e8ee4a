import {
  CompressionCodecs,
  CompressionTypes,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import type { Connection } from './connection';
import { CliError, EXIT } from './errors';
import { explainKafkaError, kafkaClient, resolveTopics } from './kafka';

/** A protocol error as kafkajs builds it from the broker's error code (its typings take only the message). */
const protocolError = (type: string, code: number, message: string) =>
  new KafkaJSProtocolError({ type, code, retriable: false, message } as unknown as Error);

const connection = { settings: { brokers: ['kafka-1:9092'] }, prefix: '' } as unknown as Connection;
const retried = (cause: Error) =>
  new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 2, retryTime: 1_000 });

describe('explainKafkaError', () => {
  it('should call an outage an outage when a connection failed, exit 69', () => {
    const explained = explainKafkaError(
      retried(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 10.0.0.1:9092')),
      connection,
    );
    expect(explained).toBeInstanceOf(CliError);
    expect(explained).toMatchObject({
      exitCode: EXIT.unavailable,
      message: expect.stringMatching(/cannot reach Kafka/),
    });
  });

  it("should leave a reachable broker's refusal as it is, even after retries", () => {
    const refused = retried(
      protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3, 'This server does not host this topic-partition'),
    );
    expect(explainKafkaError(refused, connection)).toBe(refused);
  });

  it('should name the permissions the CLI needs when the broker refuses the user', () => {
    const explained = explainKafkaError(
      protocolError(
        'TOPIC_AUTHORIZATION_FAILED',
        29,
        'Not authorized to access topics: [Topic authorization failed]',
      ),
      connection,
    );
    expect(explained).toMatchObject({
      exitCode: EXIT.failure,
      message: expect.stringMatching(/refused this user/),
    });
    expect((explained as CliError).hints.join(' ')).toContain('Read and Delete on the groups loyalty-cli-*');
  });
});

describe('resolveTopics', () => {
  /** A broker shared by production (no prefix) and staging. */
  const listed = ['points-earned', 'points-earned.dlq', 'staging.points-earned', '__consumer_offsets'];

  it('should add the prefix, and take a name typed with it as it is', () => {
    expect(resolveTopics(listed, ['points-earned', 'staging.points-earned'], 'staging.')).toEqual([
      'staging.points-earned',
      'staging.points-earned',
    ]);
  });

  it("should not fall back to another environment's topic of the bare name, and say why", () => {
    expect(() => resolveTopics(listed, ['points-earned.dlq'], 'staging.')).toThrow(
      expect.objectContaining({
        exitCode: EXIT.notFound,
        message: 'unknown topic "points-earned.dlq" (prefix "staging.")',
        hints: expect.arrayContaining([expect.stringContaining('exists outside the prefix')]),
      }),
    );
  });

  it('should take every topic by its name when there is no prefix', () => {
    expect(resolveTopics(listed, ['points-earned.dlq'], '')).toEqual(['points-earned.dlq']);
  });
});

describe('kafkaClient', () => {
  it('should read letters compressed with every codec Kafka has, not only gzip', async () => {
    kafkaClient(connection);
    const payload = Buffer.from('a letter '.repeat(50));
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD] as const) {
      const codec = CompressionCodecs[type]();
      expect(await codec.decompress(await codec.compress({ buffer: payload }))).toEqual(payload);
    }
  });
});
