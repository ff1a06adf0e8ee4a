import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** Express's `trust proxy`: off, every hop, the nearest hops, or the addresses of the proxies trusted. */
export type TrustProxy = boolean | number | string[];

// Express's names for the private ranges a load balancer usually sits in.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const HOPS = /^\d+$/;
const PREFIX_LENGTH = /^\d{1,3}$/;

const EXPECTED =
  '$property must be true, false, a number of proxies in front of the service, or a comma-separated list of their addresses (IP, CIDR range, loopback, linklocal, uniquelocal)';

/** An address or CIDR range (`10.0.0.0/8`, `fd00::/8`, a prefix of at least 1) or one of Express's names. */
function isTrustedProxy(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const length = Number(prefix);
  return PREFIX_LENGTH.test(prefix) && length >= 1 && length <= (version === 4 ? 32 : 128);
}

/** Why the converted setting is not one Express takes, naming the entry at fault; undefined when it is. */
function trustProxyProblem(value: unknown): string | undefined {
  if (typeof value === 'boolean' || typeof value === 'number') return undefined;
  if (!Array.isArray(value)) return EXPECTED;
  const wrong = value.find((entry) => !isTrustedProxy(String(entry)));
  if (wrong === undefined) return undefined;
  return wrong === '' ? `${EXPECTED}; it has an empty entry` : `${EXPECTED}; "${wrong}" is none of these`;
}

/**
 * `true`/`false` (any case), a whole number of hops, or a comma-separated list of proxies (names in
 * lower case, as Express knows them); the list is left for the validator to check entry by entry.
 */
export function parseTrustProxy(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const setting = value.trim();
  if (setting.toLowerCase() === 'true') return true;
  if (setting.toLowerCase() === 'false') return false;
  if (HOPS.test(setting)) return Number(setting);
  return setting.split(',').map((entry) => entry.trim().toLowerCase());
}

/**
 * Property decorator: Express's `trust proxy` read from the env string (see {@link parseTrustProxy}) and
 * checked entry by entry, so a bad value stops start-up naming the entry at fault.
 */
export const EnvTrustProxy = (): PropertyDecorator => {
  const transform = Transform(({ value }) => parseTrustProxy(value));
  const validate = ValidateBy({
    name: 'trustProxy',
    validator: {
      validate: (value: unknown) => trustProxyProblem(value) === undefined,
      defaultMessage: (args) => trustProxyProblem(args?.value) ?? EXPECTED,
    },
  });
  return (target, property) => {
    transform(target, property);
    validate(target, property);
  };
};
