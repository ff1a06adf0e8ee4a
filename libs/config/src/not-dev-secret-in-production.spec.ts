import { IsOptional, IsString } from 'class-validator';
import { loadConfig } from './load-config';
import { NotDevSecretInProduction } from './not-dev-secret-in-production';

const DEV_TOKEN = 'dev-only-token';
const DEV_KEY = 'dev-only-key';

class TokenConfig {
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  @NotDevSecretInProduction(DEV_TOKEN)
  SOME_TOKEN = DEV_TOKEN;

  @NotDevSecretInProduction(DEV_KEY, {
    secretsOf: (value) => value.split(','),
    message: '$property must hold keys of your own when NODE_ENV is production',
  })
  SOME_KEYS = `mine,${DEV_KEY}`;
}

describe('NotDevSecretInProduction', () => {
  it('should refuse the dev secret, naming the variable and masking it, when NODE_ENV is production', () => {
    expect(() => loadConfig(TokenConfig, { NODE_ENV: 'production', SOME_KEYS: 'mine' })).toThrow(
      'Invalid configuration: SOME_TOKEN must be set to a secret of your own when NODE_ENV is production ' +
        '(default "****")',
    );
  });

  it('should refuse a value that holds the dev secret among others when NODE_ENV is production', () => {
    expect(() => loadConfig(TokenConfig, { NODE_ENV: 'production', SOME_TOKEN: 'own' })).toThrow(
      'Invalid configuration: SOME_KEYS must hold keys of your own when NODE_ENV is production (default "****")',
    );
  });

  it('should accept secrets of its own when NODE_ENV is production', () => {
    const config = loadConfig(TokenConfig, { NODE_ENV: 'production', SOME_TOKEN: 'own', SOME_KEYS: 'a,b' });
    expect(config).toMatchObject({ SOME_TOKEN: 'own', SOME_KEYS: 'a,b' });
  });

  it('should accept the dev secrets when NODE_ENV is not production', () => {
    expect(loadConfig(TokenConfig, { NODE_ENV: 'development' }).SOME_TOKEN).toBe(DEV_TOKEN);
    expect(loadConfig(TokenConfig, {}).SOME_KEYS).toBe(`mine,${DEV_KEY}`);
  });
});
