import { displayValue, isSecretName, maskUrlCredentials } from './mask-secret';

describe('mask-secret', () => {
  it.each(['KAFKA_SASL_PASSWORD', 'AUTH_JWT_SECRET', 'STRIPE_API_KEY', 'api_token'])(
    'should treat %s as secret when its name says so',
    (name) => expect(isSecretName(name)).toBe(true),
  );

  it('should not treat a variable as secret when its name has no secret word', () => {
    expect(isSecretName('AUTH_JWKS_URL')).toBe(false);
  });

  it('should hide the password when a URL carries credentials', () => {
    expect(maskUrlCredentials('postgres://app:s3cr%40t@db:5432/x')).toBe('postgres://app:****@db:5432/x');
    expect(maskUrlCredentials('rediss://:token123@cache:6380')).toBe('rediss://:****@cache:6380');
  });

  it.each([
    ['mysql://app:pa#ss@db/x', 'mysql://app:****@db/x'],
    ['mysql://app:p@ss@db/x', 'mysql://app:****@db/x'],
    ['redis://:s3/cr?t@cache:6379 is not a valid URL', 'redis://:****@cache:6379 is not a valid URL'],
  ])('should hide all of a password typed unencoded with a delimiter in it: %s', (text, masked) => {
    expect(maskUrlCredentials(text)).toBe(masked);
  });

  it('should keep the value when a URL has no password', () => {
    expect(displayValue('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/db')).toBe(
      'postgres://postgres@127.0.0.1:5432/db',
    );
  });
});
