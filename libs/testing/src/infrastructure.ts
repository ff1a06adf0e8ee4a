import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where the real Kafka, Postgres and Redis for integration tests are. */
export interface TestInfrastructure {
  kafkaBrokers: string;
  /** A database URL with rights to create and drop databases; suites create their own. */
  adminDatabaseUrl: string;
  redisUrl: string;
  provider: 'environment' | 'testcontainers' | 'local';
}

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

const ENV = {
  kafka: 'TEST_KAFKA_BROKERS',
  database: 'TEST_DATABASE_URL',
  redis: 'TEST_REDIS_URL',
  provider: 'TEST_INFRA_PROVIDER',
} as const;

/** Read by test workers: the global setup has put the resolved infrastructure in the environment. */
export function testInfrastructure(): TestInfrastructure {
  const kafkaBrokers = process.env[ENV.kafka];
  const adminDatabaseUrl = process.env[ENV.database];
  const redisUrl = process.env[ENV.redis];
  if (!kafkaBrokers || !adminDatabaseUrl || !redisUrl) {
    throw new Error(
      'integration infrastructure is not set up: run the tests through jest (its global setup starts it)',
    );
  }
  return {
    kafkaBrokers,
    adminDatabaseUrl,
    redisUrl,
    provider: process.env[ENV.provider] as TestInfrastructure['provider'],
  };
}

export function exportInfrastructure(infra: TestInfrastructure): void {
  process.env[ENV.kafka] = infra.kafkaBrokers;
  process.env[ENV.database] = infra.adminDatabaseUrl;
  process.env[ENV.redis] = infra.redisUrl;
  process.env[ENV.provider] = infra.provider;
}

/**
 * Integration tests always run against real components, found in this order:
 * 1. KAFKA_BROKERS, DATABASE_URL and REDIS_URL when all are set (a CI service, a shared dev cluster);
 * 2. testcontainers, when a Docker engine is reachable;
 * 3. the project's own local infrastructure (`infra/local up`: a KRaft broker fetched from Maven
 *    Central and the machine's Postgres and Redis).
 */
export function fromEnvironment(env: NodeJS.ProcessEnv = process.env): TestInfrastructure | undefined {
  if (env.KAFKA_BROKERS && env.DATABASE_URL && env.REDIS_URL) {
    return {
      kafkaBrokers: env.KAFKA_BROKERS,
      adminDatabaseUrl: env.DATABASE_URL,
      redisUrl: env.REDIS_URL,
      provider: 'environment',
    };
  }
  return undefined;
}

export function dockerIsReachable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.TESTCONTAINERS_DISABLED === 'true') return false;
  if (!env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

export function startLocalInfrastructure(): TestInfrastructure {
  const result = spawnSync('bash', [path.join(WORKSPACE_ROOT, 'infra/local'), 'up'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`infra/local up failed with exit code ${result.status}`);
  // The same overrides and defaults as infra/local, which just started or found them.
  const { KAFKA_PORT = '9092', PGUSER = 'postgres', PGHOST = '127.0.0.1', PGPORT = '5432' } = process.env;
  return {
    kafkaBrokers: `127.0.0.1:${KAFKA_PORT}`,
    adminDatabaseUrl: `postgres://${PGUSER}@${PGHOST}:${PGPORT}/postgres`,
    redisUrl: `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6379}`,
    provider: 'local',
  };
}
