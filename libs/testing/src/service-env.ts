import { testInfrastructure } from './infrastructure';

/**
 * The environment a service needs to reach the suite's own database and topics, with production's
 * consumer settings: what a benchmark runs a service with.
 */
export function productionServiceEnv(
  databaseUrl: string,
  topicPrefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const infra = testInfrastructure();
  return {
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    DATABASE_URL: databaseUrl,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** The environment a service under test needs to reach the suite's own database and topics. */
export function serviceEnv(
  databaseUrl: string,
  topicPrefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return productionServiceEnv(databaseUrl, topicPrefix, {
    // A crashed test process's partitions move to its successor after 6 s rather than 30 s.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    // A test sends an event and waits until the group has committed it: with production's gathering (a
    // fetch waits up to 500 ms for more, offsets are committed once a second) each such step took about a
    // second, and most of the suite's time. The order and exactly-once of handling are the same either way.
    KAFKA_COMMIT_INTERVAL_MS: '0',
    KAFKA_FETCH_MIN_BYTES: '1',
    ...extra,
  });
}
