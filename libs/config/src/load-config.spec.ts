import { IsBoolean, IsInt, IsString, Matches } from 'class-validator';
import { ConfigValidationError } from './config-validation.error';
import { EnvBoolean, EnvList, EnvNumber } from './env-transforms';
import { loadConfig } from './load-config';

class SampleConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// or postgresql:// URL' })
  DATABASE_URL: string;

  @EnvNumber()
  @IsInt({ message: '$property must be an integer' })
  WORKERS = 2;

  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  ENABLED = false;

  @EnvList()
  @IsString({ each: true })
  HOSTS: string[] = ['a'];

  @IsString()
  @Matches(/^[a-z]+$/, { message: '$property must be lower-case letters' })
  API_KEY = 'default';
}

function errorOf(fn: () => unknown): ConfigValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  const valid = { DATABASE_URL: 'postgres://u@h:5432/db' };

  it('should apply property initialisers as defaults when variables are not set', () => {
    const config = loadConfig(SampleConfig, valid);
    expect(config).toBeInstanceOf(SampleConfig);
    expect(config).toMatchObject({ WORKERS: 2, ENABLED: false, HOSTS: ['a'], API_KEY: 'default' });
  });

  it('should convert numbers, booleans and comma lists when they are set as strings', () => {
    const config = loadConfig(SampleConfig, {
      ...valid,
      WORKERS: '8',
      ENABLED: 'TRUE',
      HOSTS: ' x:1, y:2 ,,',
    });
    expect(config.WORKERS).toBe(8);
    expect(config.ENABLED).toBe(true);
    expect(config.HOSTS).toEqual(['x:1', 'y:2']);
  });

  it('should ignore environment variables when the class does not declare them', () => {
    const config = loadConfig(SampleConfig, { ...valid, PATH: '/usr/bin', HOME: '/root' });
    expect(Object.keys(config)).not.toContain('PATH');
  });

  it('should name the variable with the reason and the value when a value is invalid', () => {
    const error = errorOf(() => loadConfig(SampleConfig, { DATABASE_URL: 'nonsense' }));
    expect(error.message).toBe(
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL (got "nonsense")',
    );
    expect(error.code).toBe('CONFIG_INVALID');
  });

  it('should list every bad variable when several are invalid or missing', () => {
    const error = errorOf(() => loadConfig(SampleConfig, { WORKERS: 'many', ENABLED: 'yes' }));
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'DATABASE_URL',
      'ENABLED',
      'WORKERS',
    ]);
    expect(error.message).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL (not set)');
    expect(error.message).toContain('WORKERS must be an integer (got "many")');
    expect(error.message).toContain('ENABLED must be true or false (got "yes")');
  });

  it('should mask the value when the variable name marks it as a secret', () => {
    const error = errorOf(() => loadConfig(SampleConfig, { ...valid, API_KEY: 'Sup3rSecretValue' }));
    expect(error.message).toContain('API_KEY must be lower-case letters (got "****")');
    expect(error.message).not.toContain('Sup3rSecretValue');
  });

  it('should mask a password inside a URL when a URL variable is invalid', () => {
    const error = errorOf(() => loadConfig(SampleConfig, { DATABASE_URL: 'mysql://admin:hunter2@db/app' }));
    expect(error.message).toContain('(got "mysql://admin:****@db/app")');
    expect(error.message).not.toContain('hunter2');
  });

  it('should read process.env when no environment is passed', () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgresql://from-process-env/db';
    try {
      expect(loadConfig(SampleConfig).DATABASE_URL).toBe('postgresql://from-process-env/db');
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });
});
