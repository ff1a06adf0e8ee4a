import type { StartedTestContainer } from 'testcontainers';
import type { TestInfrastructure } from './infrastructure';

/** Kafka (KRaft), Postgres and Redis in containers, for machines that have a Docker engine. */
export async function startContainers(): Promise<{
  infra: TestInfrastructure;
  containers: StartedTestContainer[];
}> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [kafka, postgres, redis] = await Promise.all([
    // testcontainers' Kafka module drives Confluent's image; cp-kafka 8.0 is Apache Kafka 4.0 in KRaft mode.
    new KafkaContainer('confluentinc/cp-kafka:8.0.0')
      .withKraft()
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' })
      .start(),
    new PostgreSqlContainer('postgres:15').withUsername('postgres').withPassword('postgres').start(),
    new RedisContainer('redis:7').start(),
  ]);
  return {
    infra: {
      kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      adminDatabaseUrl: postgres.getConnectionUri(),
      redisUrl: redis.getConnectionUrl(),
      provider: 'testcontainers',
    },
    containers: [kafka, postgres, redis],
  };
}
