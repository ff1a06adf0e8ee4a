import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { AuthConfig } from './auth.config';
import { EnvBoolean, EnvList, EnvNumber } from './env-transforms';
import { EnvTrustProxy, type TrustProxy } from './trust-proxy';

// A failpoint left set by a copied test environment would kill every instance at the same event.
const NotInProduction = (options: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'notInProduction',
      validator: {
        validate: (value: unknown, args) =>
          value === undefined || (args?.object as AuthConfig).NODE_ENV !== 'production',
      },
    },
    options,
  );

// SASL/PLAIN sends the password as it is; without TLS anyone on the path to the broker reads it.
const PlainSaslNeedsTlsInProduction = (options: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'plainSaslNeedsTlsInProduction',
      validator: {
        validate: (value: unknown, args) => {
          const config = args?.object as BaseServiceConfig;
          return value !== 'plain' || config.NODE_ENV !== 'production' || config.KAFKA_SSL === true;
        },
      },
    },
    options,
  );

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaSaslOptions {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

/**
 * The niceness of the services whose work may wait a moment (surveys, complaints, churn watch): every
 * recorded stay reaches them, but what they make of it is due in hours or days. Sharing a machine with
 * the stay-to-points path, they get about a seventieth of the CPU a service at 0 gets while both want
 * it, so a stay's points come first; they catch up whenever that path idles. The README's "CPU
 * priority" gives the measurements behind the choice of 19.
 */
export const BACKGROUND_NICENESS = 19;

// Load balancers typically poll readiness every few seconds.
const DEFAULT_PRODUCTION_DRAIN_MS = 5_000;

const saslConfigured = (config: BaseServiceConfig): boolean => config.KAFKA_SASL_MECHANISM !== undefined;

/**
 * The variables every service shares. A service subclasses it to add its own and to set its defaults
 * (`SERVICE_NAME`, `HTTP_PORT`, and `DATABASE_URL`, which has no default here):
 *
 * ```ts
 * export class LedgerConfig extends BaseServiceConfig {
 *   override SERVICE_NAME = 'ledger';
 *   override HTTP_PORT = 3001;
 *   override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ledger';
 * }
 * ```
 * With the defaults, a service runs locally with no environment at all.
 */
export class BaseServiceConfig extends AuthConfig {
  @IsString({ message: '$property must be a non-empty string' })
  @Matches(/^[a-z][a-z0-9-]*$/, { message: '$property must be lower-case letters, digits and dashes' })
  SERVICE_NAME = 'loyalty-service';

  @EnvNumber()
  @IsInt({ message: '$property must be an integer between 1 and 65535' })
  @Min(1, { message: '$property must be an integer between 1 and 65535' })
  @Max(65535, { message: '$property must be an integer between 1 and 65535' })
  HTTP_PORT = 3000;

  /** Interface to listen on. Loopback by default so a dev machine does not expose its services; containers set 0.0.0.0. */
  @IsString()
  @Matches(/^[A-Za-z0-9.:_-]+$/, { message: '$property must be a host name or IP address' })
  HTTP_HOST = '127.0.0.1';

  /** Largest JSON request body a service accepts; larger ones get 413. */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of bytes between 1024 and 10485760' })
  @Min(1024, { message: '$property must be a whole number of bytes between 1024 and 10485760' })
  @Max(10_485_760, { message: '$property must be a whole number of bytes between 1024 and 10485760' })
  HTTP_BODY_LIMIT_BYTES = 1_048_576;

  /**
   * Which proxies in front of the service to believe about the client: their `X-Forwarded-For` gives
   * the client address (`req.ip`) the ingress limits failed authentications by. Off by default, so a
   * caller reaching the service directly cannot choose its own address.
   */
  @EnvTrustProxy()
  TRUST_PROXY: TrustProxy = false;

  @IsIn(LOG_LEVELS, { message: `$property must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  // ---- Kafka -------------------------------------------------------------------------------------

  @EnvList()
  @ArrayNotEmpty({ message: '$property must list at least one broker as host:port' })
  @Matches(/^[^\s:,]+:\d{1,5}$/, {
    each: true,
    message: '$property must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  /** Defaults to SERVICE_NAME where the messaging library builds the client. */
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: '$property must not be empty when set' })
  KAFKA_CLIENT_ID?: string;

  /** Consumer group id; defaults to SERVICE_NAME where the messaging library builds the consumer. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: '$property may contain only letters, digits, ".", "_" and "-"' })
  KAFKA_CONSUMER_GROUP?: string;

  /** Prepended to every topic name; test suites set it to isolate their topics. */
  @IsString()
  @Matches(/^[A-Za-z0-9._-]*$/, { message: '$property may contain only letters, digits, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX = '';

  /**
   * How long the group waits for a silent member before giving its partitions to others: the time a
   * crashed instance's partitions stand still. The broker accepts 6000 to 1800000 by default.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 6000 and 1800000' })
  @Min(6_000, { message: '$property must be a whole number of milliseconds between 6000 and 1800000' })
  @Max(1_800_000, { message: '$property must be a whole number of milliseconds between 6000 and 1800000' })
  KAFKA_SESSION_TIMEOUT_MS = 30_000;

  /**
   * How long handled offsets gather before one commit for all of a consumer's partitions; 0 commits after
   * every batch. A crash re-reads at most this much, which the inbox skips. Tests set 0: each step of one
   * waits until the group has committed the event it sent.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 0 and 60000' })
  @Min(0, { message: '$property must be a whole number of milliseconds between 0 and 60000' })
  @Max(60_000, { message: '$property must be a whole number of milliseconds between 0 and 60000' })
  KAFKA_COMMIT_INTERVAL_MS = 1_000;

  /**
   * When set, every consumer's fetch returns once it holds this many bytes (1: as soon as there is
   * anything), instead of gathering as each consumer is tuned to (HOT_PATH_FETCH, BATCHING_FETCH in the
   * messaging library). Tests set 1, sending one event at a time; production leaves it unset.
   */
  @IsOptional()
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of bytes between 1 and 1048576' })
  @Min(1, { message: '$property must be a whole number of bytes between 1 and 1048576' })
  @Max(1_048_576, { message: '$property must be a whole number of bytes between 1 and 1048576' })
  KAFKA_FETCH_MIN_BYTES?: number;

  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  KAFKA_SSL = false;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: '$property must be a file path when set' })
  KAFKA_SSL_CA_FILE?: string;

  @IsOptional()
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `$property must be one of: ${KAFKA_SASL_MECHANISMS.join(', ')}` })
  @PlainSaslNeedsTlsInProduction({
    message:
      '$property plain sends the password in clear text: set KAFKA_SSL=true when NODE_ENV is production',
  })
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  @ValidateIf(saslConfigured)
  @IsString({ message: '$property is required when KAFKA_SASL_MECHANISM is set' })
  @IsNotEmpty({ message: '$property is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf(saslConfigured)
  @IsString({ message: '$property is required when KAFKA_SASL_MECHANISM is set' })
  @IsNotEmpty({ message: '$property is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_PASSWORD?: string;

  /**
   * How long a dead letter waits for the broker's acknowledgement before the wait is logged as an error
   * and counted (`dead_letter_write_failures_total`), and again each time as long passes. kafkajs gives a
   * produce request 30 s and retries a missing leader or topic every 10 s at most: a letter not
   * acknowledged in 30 s is met by no answer rather than a slow one.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 1000 and 600000' })
  @Min(1_000, { message: '$property must be a whole number of milliseconds between 1000 and 600000' })
  @Max(600_000, { message: '$property must be a whole number of milliseconds between 1000 and 600000' })
  DEAD_LETTER_SEND_TIMEOUT_MS = 30_000;

  /**
   * How long a record's dead letter may go unwritten, its partition held, before liveness fails. Past a
   * leader election or a broker's rolling restart; a restart then creates a deleted dead-letter topic
   * again, and a missing write ACL shows as a service that keeps restarting rather than one partition
   * quietly standing still.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 1000 and 86400000' })
  @Min(1_000, { message: '$property must be a whole number of milliseconds between 1000 and 86400000' })
  @Max(86_400_000, { message: '$property must be a whole number of milliseconds between 1000 and 86400000' })
  DEAD_LETTER_STUCK_MS = 300_000;

  /**
   * How long the outbox relay waits for the broker to acknowledge a send before it gives up its lock, so
   * that the relay of another instance, which may reach the broker, publishes instead. kafkajs retries a
   * send without end; a relay that can reach Postgres but not the broker would otherwise hold the lock,
   * and the service's every event, for as long as it runs.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 1000 and 600000' })
  @Min(1_000, { message: '$property must be a whole number of milliseconds between 1000 and 600000' })
  @Max(600_000, { message: '$property must be a whole number of milliseconds between 1000 and 600000' })
  OUTBOX_SEND_TIMEOUT_MS = 60_000;

  /**
   * Test-only fault injection: `<point>:<events>` makes the messaging library kill the process at that
   * point once that many events have passed it (crash tests). The messaging library checks the point names.
   */
  @IsOptional()
  @Matches(/^[a-z][a-z-]*:\d+$/, { message: '$property must be <point>:<events>, e.g. after-db-commit:300' })
  @NotInProduction({
    message: '$property is for crash tests and must not be set when NODE_ENV is production',
  })
  MESSAGING_CRASH_POINT?: string;

  // ---- Postgres and Redis ------------------------------------------------------------------------

  @IsString({ message: '$property must be a postgres:// or postgresql:// URL' })
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// or postgresql:// URL' })
  DATABASE_URL: string;

  @EnvNumber()
  @IsInt({ message: '$property must be an integer between 1 and 1000' })
  @Min(1, { message: '$property must be an integer between 1 and 1000' })
  @Max(1000, { message: '$property must be an integer between 1 and 1000' })
  DATABASE_POOL_SIZE = 10;

  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  DATABASE_MIGRATE_ON_START = true;

  @IsString({ message: '$property must be a redis:// or rediss:// URL' })
  @Matches(/^rediss?:\/\/\S+$/, { message: '$property must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  // ---- Lifecycle ---------------------------------------------------------------------------------

  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 0 and 600000' })
  @Min(0, { message: '$property must be a whole number of milliseconds between 0 and 600000' })
  @Max(600_000, { message: '$property must be a whole number of milliseconds between 0 and 600000' })
  SHUTDOWN_TIMEOUT_MS = 15_000;

  /**
   * How long SIGTERM keeps serving with readiness failing before the shutdown starts, so load balancers
   * stop routing here first. Defaults to 5 s in production and 0 elsewhere (tests, local runs).
   */
  @IsOptional()
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 0 and 600000' })
  @Min(0, { message: '$property must be a whole number of milliseconds between 0 and 600000' })
  @Max(600_000, { message: '$property must be a whole number of milliseconds between 0 and 600000' })
  SHUTDOWN_DRAIN_MS?: number;

  /**
   * Once liveness fails (a consumer stopped for good), shut down as SIGTERM does and exit 1, so a
   * supervisor that restarts exited processes but does not act on health checks (Docker Compose's
   * `restart:`) brings the service back. Off by default: an orchestrator's liveness probe does that.
   */
  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  EXIT_WHEN_NOT_LIVE = false;

  /**
   * The process's CPU priority below normal, as `nice` counts it (0 normal, 19 lowest): on a machine
   * the services share, the CPU goes to the others first while they want it, and to this one whenever
   * they idle. The services off the stay-to-points path default to `BACKGROUND_NICENESS`.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number from 0 (normal priority) to 19 (lowest)' })
  @Min(0, { message: '$property must be a whole number from 0 (normal priority) to 19 (lowest)' })
  @Max(19, { message: '$property must be a whole number from 0 (normal priority) to 19 (lowest)' })
  PROCESS_NICENESS = 0;

  /** SASL credentials when KAFKA_SASL_MECHANISM is set (validation guarantees both are present). */
  get kafkaSasl(): KafkaSaslOptions | undefined {
    if (this.KAFKA_SASL_MECHANISM === undefined) return undefined;
    return {
      mechanism: this.KAFKA_SASL_MECHANISM,
      username: this.KAFKA_SASL_USERNAME ?? '',
      password: this.KAFKA_SASL_PASSWORD ?? '',
    };
  }

  /** The drain before shutdown, never longer than the shutdown itself may take. */
  get shutdownDrainMs(): number {
    const drainMs =
      this.SHUTDOWN_DRAIN_MS ?? (this.NODE_ENV === 'production' ? DEFAULT_PRODUCTION_DRAIN_MS : 0);
    return Math.min(drainMs, this.SHUTDOWN_TIMEOUT_MS);
  }
}
