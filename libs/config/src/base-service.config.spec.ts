import { DEV_JWT_SECRET } from './auth.config';
import { BaseServiceConfig } from './base-service.config';
import { ConfigValidationError } from './config-validation.error';
import { loadConfig } from './load-config';

class LedgerConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'ledger';
  override HTTP_PORT = 3001;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ledger';
}

function messageOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(LedgerConfig, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('BaseServiceConfig', () => {
  it('should load local defaults when the environment is empty', () => {
    const config = loadConfig(LedgerConfig, {});
    expect(config).toMatchObject({
      SERVICE_NAME: 'ledger',
      HTTP_PORT: 3001,
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_SSL: false,
      KAFKA_COMMIT_INTERVAL_MS: 1000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ledger',
      DATABASE_POOL_SIZE: 10,
      DATABASE_MIGRATE_ON_START: true,
      REDIS_URL: 'redis://127.0.0.1:6379',
      AUTH_JWT_SECRET: DEV_JWT_SECRET,
      SHUTDOWN_TIMEOUT_MS: 15000,
      EXIT_WHEN_NOT_LIVE: false,
      PROCESS_NICENESS: 0,
    });
    expect(config.AUTH_JWKS_URL).toBeUndefined();
    expect(config.KAFKA_CONSUMER_GROUP).toBeUndefined();
    expect(config.KAFKA_FETCH_MIN_BYTES).toBeUndefined();
    expect(config.MESSAGING_CRASH_POINT).toBeUndefined();
    expect(config.kafkaSasl).toBeUndefined();
    expect(config.usesDevJwtSecret).toBe(true);
  });

  it('should require DATABASE_URL when the base class is used without a service default', () => {
    expect(() => loadConfig(BaseServiceConfig, {})).toThrow(
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL (not set)',
    );
  });

  it('should parse the broker list when several brokers are given', () => {
    const config = loadConfig(LedgerConfig, { KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9093, kafka-3:9094' });
    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9093', 'kafka-3:9094']);
  });

  it('should reject the broker list when an entry has no port', () => {
    expect(messageOf({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2' })).toBe(
      'Invalid configuration: KAFKA_BROKERS must be a comma-separated list of host:port (got "kafka-1:9092,kafka-2")',
    );
  });

  it('should reject the port when it is out of range', () => {
    expect(messageOf({ HTTP_PORT: '70000' })).toContain(
      'HTTP_PORT must be an integer between 1 and 65535 (got "70000")',
    );
  });

  it('should reject a niceness that would raise the priority or is past the lowest', () => {
    for (const niceness of ['-5', '20', '2.5'])
      expect(messageOf({ PROCESS_NICENESS: niceness })).toContain(
        `PROCESS_NICENESS must be a whole number from 0 (normal priority) to 19 (lowest) (got "${niceness}")`,
      );
    expect(loadConfig(LedgerConfig, { PROCESS_NICENESS: '19' }).PROCESS_NICENESS).toBe(19);
  });

  it('should take a commit interval of 0 and a fetch minimum of 1 byte, and refuse either past its bounds', () => {
    const config = loadConfig(LedgerConfig, { KAFKA_COMMIT_INTERVAL_MS: '0', KAFKA_FETCH_MIN_BYTES: '1' });
    expect(config).toMatchObject({ KAFKA_COMMIT_INTERVAL_MS: 0, KAFKA_FETCH_MIN_BYTES: 1 });
    expect(messageOf({ KAFKA_COMMIT_INTERVAL_MS: '-1' })).toContain(
      'KAFKA_COMMIT_INTERVAL_MS must be a whole number of milliseconds between 0 and 60000 (got "-1")',
    );
    expect(messageOf({ KAFKA_FETCH_MIN_BYTES: '0' })).toContain(
      'KAFKA_FETCH_MIN_BYTES must be a whole number of bytes between 1 and 1048576 (got "0")',
    );
  });

  it('should reject the log level when it is not a pino level', () => {
    expect(messageOf({ LOG_LEVEL: 'verbose' })).toContain(
      'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace (got "verbose")',
    );
  });

  it('should require SASL username and password when a SASL mechanism is set', () => {
    const message = messageOf({ KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    expect(message).toContain('KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set (not set)');
    expect(message).toContain('KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set (not set)');
  });

  it('should expose typed SASL options when mechanism and credentials are set', () => {
    const config = loadConfig(LedgerConfig, {
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pw',
      KAFKA_SSL: 'true',
    });
    expect(config.kafkaSasl).toEqual({ mechanism: 'plain', username: 'svc', password: 'pw' });
    expect(config.KAFKA_SSL).toBe(true);
  });

  it('should refuse SASL plain without TLS when NODE_ENV is production', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'a-jwt-secret-of-our-own-0123456789',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pw',
    };
    expect(messageOf(production)).toContain(
      'KAFKA_SASL_MECHANISM plain sends the password in clear text: set KAFKA_SSL=true when NODE_ENV is production',
    );
    expect(loadConfig(LedgerConfig, { ...production, KAFKA_SSL: 'true' }).kafkaSasl?.mechanism).toBe('plain');
    expect(
      loadConfig(LedgerConfig, { ...production, KAFKA_SASL_MECHANISM: 'scram-sha-512' }).kafkaSasl?.mechanism,
    ).toBe('scram-sha-512');
    const { NODE_ENV: _unset, ...development } = production;
    expect(loadConfig(LedgerConfig, development).kafkaSasl?.mechanism).toBe('plain');
  });

  it('should reject an unknown SASL mechanism when one is set', () => {
    expect(
      messageOf({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }),
    ).toBe(
      'Invalid configuration: KAFKA_SASL_MECHANISM must be one of: plain, scram-sha-256, scram-sha-512 (got "gssapi")',
    );
  });

  it('should mask secrets when the SASL password or JWT secret are invalid', () => {
    const message = messageOf({
      AUTH_JWT_SECRET: 'short-secret',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_PASSWORD: '',
    });
    expect(message).toContain('AUTH_JWT_SECRET must be at least 16 characters (got "****")');
    expect(message).toContain(
      'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set (got "****")',
    );
    expect(message).not.toContain('short-secret');
  });

  it('should reject the database and redis URLs when their schemes are wrong', () => {
    const message = messageOf({ DATABASE_URL: 'nonsense', REDIS_URL: 'http://cache:6379' });
    expect(message).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL (got "nonsense")');
    expect(message).toContain('REDIS_URL must be a redis:// or rediss:// URL (got "http://cache:6379")');
  });

  it('should reject the crash point when it is not <point>:<count>', () => {
    expect(messageOf({ MESSAGING_CRASH_POINT: 'after-db-commit' })).toContain(
      'MESSAGING_CRASH_POINT must be <point>:<events>, e.g. after-db-commit:300 (got "after-db-commit")',
    );
    expect(
      loadConfig(LedgerConfig, { MESSAGING_CRASH_POINT: 'after-db-commit:3' }).MESSAGING_CRASH_POINT,
    ).toBe('after-db-commit:3');
  });

  it('should refuse a crash point when NODE_ENV is production', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'a-jwt-secret-of-our-own-0123456789',
      MESSAGING_CRASH_POINT: 'after-db-commit:3',
    };
    expect(messageOf(production)).toContain(
      'MESSAGING_CRASH_POINT is for crash tests and must not be set when NODE_ENV is production',
    );
    const { MESSAGING_CRASH_POINT: _unset, ...withoutCrashPoint } = production;
    expect(loadConfig(LedgerConfig, withoutCrashPoint).MESSAGING_CRASH_POINT).toBeUndefined();
  });

  it('should stop using the dev secret when a JWKS URL is configured', () => {
    const config = loadConfig(LedgerConfig, {
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_AUDIENCE: 'loyalty-api',
    });
    expect(config.usesDevJwtSecret).toBe(false);
  });
  it('should drain for 5 s before shutting down in production and not at all elsewhere', () => {
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-jwt-secret-of-our-own-0123456789' };
    expect(loadConfig(LedgerConfig, production).shutdownDrainMs).toBe(5_000);
    expect(loadConfig(LedgerConfig, {}).shutdownDrainMs).toBe(0);
    expect(loadConfig(LedgerConfig, { SHUTDOWN_DRAIN_MS: '2000' }).shutdownDrainMs).toBe(2_000);
  });

  it('should cap the drain at the shutdown timeout when SHUTDOWN_DRAIN_MS is longer', () => {
    const config = loadConfig(LedgerConfig, { SHUTDOWN_DRAIN_MS: '20000', SHUTDOWN_TIMEOUT_MS: '8000' });
    expect(config.shutdownDrainMs).toBe(8_000);
  });

  it('should reject a negative drain when SHUTDOWN_DRAIN_MS is set', () => {
    expect(messageOf({ SHUTDOWN_DRAIN_MS: '-1' })).toContain(
      'SHUTDOWN_DRAIN_MS must be a whole number of milliseconds between 0 and 600000 (got "-1")',
    );
  });

  it('should exit when not live only when EXIT_WHEN_NOT_LIVE is true, and refuse a value that is not a boolean', () => {
    expect(loadConfig(LedgerConfig, { EXIT_WHEN_NOT_LIVE: 'true' }).EXIT_WHEN_NOT_LIVE).toBe(true);
    expect(messageOf({ EXIT_WHEN_NOT_LIVE: 'yes' })).toContain('EXIT_WHEN_NOT_LIVE must be true or false');
  });
});
