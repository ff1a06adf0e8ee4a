import { IsInt, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { BaseServiceConfig, EnvNumber, NotDevSecretInProduction } from '@loyalty/config';

/** The secret of the default upstream system; development only, refused in production. */
export const DEV_INGRESS_API_KEY = 'dev-only-ingress-key-change-me';

// A property as events name it (the contracts' identifier) or `*`. Anything looser would load and
// then match no event: `AMS01\n` from a secret file, ` PAR01` after a `|`, an empty item after a last `|`.
const PROPERTY = String.raw`(?:\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})`;
// A secret as a request can present it: printable ASCII, no space (an `X-Api-Key` header loses the
// spaces around its value, and its bytes are read as Latin-1, so `ä` would arrive as two characters).
const SECRET = String.raw`[\x21-\x2B\x2D-\x39\x3B-\x7E]{16,}`;
const ENTRY = String.raw`[a-z0-9-]+:${SECRET}:${PROPERTY}(?:\|${PROPERTY})*`;
const API_KEYS = new RegExp(String.raw`^${ENTRY}(?:,${ENTRY})*$`);

// Each entry is `system:secret:PROPERTY|PROPERTY`.
const entriesOf = (apiKeys: string) =>
  apiKeys.split(',').map((entry) => {
    const [system, secret, properties] = entry.split(':');
    return { system, secret, properties: [...new Set(properties.split('|'))].sort().join('|') };
  });
// A value of another shape is reported by its pattern, naming the variable, not by a TypeError here.
const secretsOf = (apiKeys: string): string[] =>
  API_KEYS.test(apiKeys) ? entriesOf(apiKeys).map((entry) => entry.secret) : [];

/**
 * Why the systems' keys cannot be told apart, naming systems and never a secret; undefined when they can.
 * A key is identified by the first entry with its secret, so a second entry sharing it would be let in as
 * the first, with that one's properties. A system listed twice has two keys (a rotation); they must name
 * the same properties, since the ingress keeps one scope, one rate limit and one record per system.
 */
function indistinctKeys(apiKeys: string): string | undefined {
  if (!API_KEYS.test(apiKeys)) return undefined;
  const propertiesBySystem = new Map<string, string>();
  const systemBySecret = new Map<string, string>();
  for (const { system, secret, properties } of entriesOf(apiKeys)) {
    const sharing = systemBySecret.get(secret);
    if (sharing === system) {
      return `$property gives ${system} the same secret twice: a second key of a system needs a secret of its own`;
    }
    if (sharing !== undefined) {
      return `$property gives ${sharing} and ${system} the same secret: give each system a secret of its own`;
    }
    const scope = propertiesBySystem.get(system);
    if (scope !== undefined && scope !== properties) {
      return `$property gives the keys of ${system} different properties: list the same properties with each of its keys`;
    }
    propertiesBySystem.set(system, properties);
    systemBySecret.set(secret, system);
  }
  return undefined;
}

const DistinctKeys = (): PropertyDecorator =>
  ValidateBy({
    name: 'distinctKeys',
    validator: {
      validate: (value: unknown) => indistinctKeys(String(value)) === undefined,
      defaultMessage: (args) =>
        indistinctKeys(String(args?.value)) ??
        '$property must give each key a secret of its own, and a system the same properties with each key',
    },
  });

export class IngressConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'ingress';
  override HTTP_PORT = 3006;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ingress';
  /** A full batch of 500 stays is about 1 MB of JSON. */
  override HTTP_BODY_LIMIT_BYTES = 2_097_152;

  /**
   * One entry per upstream key: `system:secret:PROPERTY|PROPERTY` (`*` for every property),
   * comma-separated, each with a secret of its own. A system listed twice, with the same properties, has
   * two keys: to rotate one, add the new entry, move the system to it, then remove the old. The default
   * is a development key for every property.
   */
  @IsString()
  @Matches(API_KEYS, {
    message:
      '$property must be system:secret:PROPERTY|PROPERTY entries (secret of 16+ printable ASCII characters other than space, comma and colon; each property an id as events carry it, or *), comma-separated',
  })
  @DistinctKeys()
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
