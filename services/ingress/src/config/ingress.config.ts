import { IsInt, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { BaseServiceConfig, EnvNumber, NotDevSecretInProduction } from '@loyalty/config';

/** The secret of the default upstream system; development only, refused in production. */
export const DEV_INGRESS_API_KEY = 'dev-only-ingress-key-change-me';

// Each entry is `system:secret:PROPERTY|PROPERTY`.
const entriesOf = (apiKeys: string) =>
  apiKeys.split(',').map((entry) => {
    const [system, secret] = entry.split(':');
    return { system, secret };
  });
const secretsOf = (apiKeys: string): string[] => entriesOf(apiKeys).map((entry) => entry.secret);

/**
 * Why the systems cannot be told apart, naming them and never a secret; undefined when they can. A key is
 * identified by the first entry with its secret, so a second system sharing it would be let in as the
 * first, with that one's properties. Ingestion counts rate limits and records sources by system name, so
 * two entries of one name would be one system with two keys.
 */
function indistinctSystems(apiKeys: string): string | undefined {
  const systems = new Set<string>();
  const systemBySecret = new Map<string, string>();
  for (const { system, secret } of entriesOf(apiKeys)) {
    if (systems.has(system)) {
      return `$property lists the system ${system} more than once: give each system one entry`;
    }
    const sharing = systemBySecret.get(secret);
    if (sharing !== undefined) {
      return `$property gives ${sharing} and ${system} the same secret: give each system a secret of its own`;
    }
    systems.add(system);
    systemBySecret.set(secret, system);
  }
  return undefined;
}

const DistinctSystems = (): PropertyDecorator =>
  ValidateBy({
    name: 'distinctSystems',
    validator: {
      validate: (value: unknown) => indistinctSystems(String(value)) === undefined,
      defaultMessage: (args) =>
        indistinctSystems(String(args?.value)) ??
        '$property must list each system once, with a secret of its own',
    },
  });

// A property as events name it (the contracts' identifier) or `*`. Anything looser would load and
// then match no event: `AMS01\n` from a secret file, ` PAR01` after a `|`, an empty item after a last `|`.
const PROPERTY = String.raw`(?:\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})`;
// A secret as a request can present it: printable ASCII, no space (an `X-Api-Key` header loses the
// spaces around its value, and its bytes are read as Latin-1, so `ä` would arrive as two characters).
const SECRET = String.raw`[\x21-\x2B\x2D-\x39\x3B-\x7E]{16,}`;
const ENTRY = String.raw`[a-z0-9-]+:${SECRET}:${PROPERTY}(?:\|${PROPERTY})*`;
const API_KEYS = new RegExp(String.raw`^${ENTRY}(?:,${ENTRY})*$`);

export class IngressConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'ingress';
  override HTTP_PORT = 3006;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ingress';
  /** A full batch of 500 stays is about 1 MB of JSON. */
  override HTTP_BODY_LIMIT_BYTES = 2_097_152;

  /**
   * One entry per upstream system: `system:secret:PROPERTY|PROPERTY` (`*` for every property),
   * comma-separated, each system once and with a secret of its own. The default is a development key for
   * every property.
   */
  @IsString()
  @Matches(API_KEYS, {
    message:
      '$property must be system:secret:PROPERTY|PROPERTY entries (secret of 16+ printable ASCII characters without spaces; each property an id as events carry it, or *), comma-separated',
  })
  @DistinctSystems()
  @NotDevSecretInProduction(DEV_INGRESS_API_KEY, {
    secretsOf,
    message: '$property must give every system a secret of your own when NODE_ENV is production',
  })
  INGRESS_API_KEYS = `dev-pms:${DEV_INGRESS_API_KEY}:*`;

  @EnvNumber()
  @IsInt({ message: '$property must be a whole number between 1 and 500' })
  @Min(1, { message: '$property must be a whole number between 1 and 500' })
  @Max(500, { message: '$property must be a whole number between 1 and 500' })
  INGRESS_MAX_BATCH = 500;

  /** Events each upstream system may send per second, across every ingress instance (counted in Redis). */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of at least 1' })
  @Min(1, { message: '$property must be a whole number of at least 1' })
  INGRESS_EVENTS_PER_SECOND = 2_000;

  /**
   * Requests without a valid key one client address may make per minute, across every ingress
   * instance (counted in Redis); past that, its requests are answered 429 until the minute is over.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of at least 1' })
  @Min(1, { message: '$property must be a whole number of at least 1' })
  INGRESS_AUTH_FAILURES_PER_MINUTE = 20;

  /**
   * How long a request waits for Kafka to acknowledge its events before answering 503: the sender's
   * retry, not an open connection, carries the events through a broker outage.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds, at least 100' })
  @Min(100, { message: '$property must be a whole number of milliseconds, at least 100' })
  INGRESS_PUBLISH_TIMEOUT_MS = 10_000;

  /**
   * How long the rate limiter waits for Redis before the request is answered 503: a Redis that accepts
   * connections but never replies would otherwise hold every request.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds, at least 50' })
  @Min(50, { message: '$property must be a whole number of milliseconds, at least 50' })
  REDIS_COMMAND_TIMEOUT_MS = 500;
}
