import { testInfrastructure } from './infrastructure';

/** The environment a service under test needs to reach the suite's own database and topics. */
export function serviceEnv(
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
    // A crashed test process's partitions move to its successor after 6 s rather than 30 s.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    ...extra,
  };
}
