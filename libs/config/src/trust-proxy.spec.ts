import { ExpressAdapter } from '@nestjs/platform-express';
import { ConfigValidationError } from './config-validation.error';
import { loadConfig } from './load-config';
import { EnvTrustProxy, type TrustProxy } from './trust-proxy';

class TrustProxyOnly {
  @EnvTrustProxy()
  TRUST_PROXY: TrustProxy = false;
}

const trustProxyOf = (value?: string) =>
  loadConfig(TrustProxyOnly, value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;

describe('EnvTrustProxy', () => {
  it('should trust no proxy when TRUST_PROXY is not set', () => {
    expect(trustProxyOf()).toBe(false);
  });

  it.each([
    ['false', false],
    ['TRUE', true],
    [' true ', true],
    ['0', 0],
    ['1', 1],
    ['2', 2],
    ['10.0.0.7', ['10.0.0.7']],
    ['loopback', ['loopback']],
    ['Loopback, uniquelocal,linklocal', ['loopback', 'uniquelocal', 'linklocal']],
    ['10.0.0.0/8, 192.168.1.0/24,fd00::/8', ['10.0.0.0/8', '192.168.1.0/24', 'fd00::/8']],
    ['::1, 2001:DB8::/32, 127.0.0.1/32', ['::1', '2001:db8::/32', '127.0.0.1/32']],
  ])('should read %j as a setting Express takes', (value, expected) => {
    const setting = trustProxyOf(value);

    expect(setting).toEqual(expected);
    expect(() => new ExpressAdapter().set('trust proxy', setting)).not.toThrow();
  });

  it.each([
    ['', 'it has an empty entry'],
    ['yes', '"yes" is none of these'],
    ['-1', '"-1" is none of these'],
    ['1.5', '"1.5" is none of these'],
    ['10.0.0.0/8,,10.1.0.0/16', 'it has an empty entry'],
    ['10.0.0.0/33', '"10.0.0.0/33" is none of these'],
    ['10.0.0.0/0', '"10.0.0.0/0" is none of these'],
    ['fd00::/129', '"fd00::/129" is none of these'],
    ['10.0.0.0/8/8', '"10.0.0.0/8/8" is none of these'],
    ['10.0.0.0/255.0.0.0', '"10.0.0.0/255.0.0.0" is none of these'],
    ['256.1.1.1', '"256.1.1.1" is none of these'],
    ['lb.internal', '"lb.internal" is none of these'],
    ['loopback;10.0.0.1', '"loopback;10.0.0.1" is none of these'],
  ])('should refuse %j at start-up, naming the variable and the entry at fault', (value, fault) => {
    expect(() => trustProxyOf(value)).toThrow(ConfigValidationError);
    expect(() => trustProxyOf(value)).toThrow(
      `TRUST_PROXY must be true, false, a number of proxies in front of the service, or a comma-separated list of their addresses (IP, CIDR range, loopback, linklocal, uniquelocal); ${fault} (got "${value}")`,
    );
  });
});
