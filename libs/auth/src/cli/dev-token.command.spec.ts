import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { DEV_JWT_SECRET } from '@loyalty/config';
import { runDevTokenCommand } from './dev-token.command';

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

describe('dev-token command', () => {
  it('should print only a token signed with the dev secret when no secret is configured', () => {
    const result = runDevTokenCommand(
      [
        '--sub',
        'alice',
        '--roles',
        'chain-admin,analyst',
        '--properties',
        '*',
        '--ttl',
        '8h',
        '--name',
        'Alice',
      ],
      {},
    );
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const payload = jwt.verify(result.stdout.trim(), DEV_JWT_SECRET) as jwt.JwtPayload;
    expect(payload).toMatchObject({
      sub: 'alice',
      roles: ['chain-admin', 'analyst'],
      properties: ['*'],
      name: 'Alice',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(8 * 3600);
  });

  it('should sign with AUTH_JWT_SECRET and add issuer and audience when they are configured', () => {
    const secret = 'configured-secret-0123456789';
    const result = runDevTokenCommand(['--sub', 'bob', '--roles', 'front-desk', '--properties', 'H1,H2'], {
      AUTH_JWT_SECRET: secret,
      AUTH_ISSUER: 'loyalty',
      AUTH_AUDIENCE: 'loyalty-api',
    });
    const payload = jwt.verify(result.stdout.trim(), secret, { issuer: 'loyalty', audience: 'loyalty-api' });
    expect(payload).toMatchObject({ properties: ['H1', 'H2'] });
  });

  it('should exit 2 with the known roles when a role is unknown', () => {
    const result = runDevTokenCommand(['--sub', 'a', '--roles', 'analyst,wizard'], {});
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown roles: wizard; known roles: chain-admin, property-manager');
  });

  it('should exit 2 when --sub is missing or an option is unknown', () => {
    expect(runDevTokenCommand(['--roles', 'analyst'], {}).stderr).toContain('--sub is required');
    expect(runDevTokenCommand(['--sub', 'a', '--roles', 'analyst', '--admin'], {}).exitCode).toBe(2);
  });

  it('should not print the secret when the configured secret is invalid', () => {
    const result = runDevTokenCommand(['--sub', 'a', '--roles', 'analyst'], {
      AUTH_JWT_SECRET: 'tiny-secret',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('AUTH_JWT_SECRET must be at least 16 characters');
    expect(result.stderr).not.toContain('tiny-secret');
  });

  it('should run as the npm script runs it, from source', () => {
    const stdout = execFileSync(
      process.execPath,
      [
        '-r',
        './infra/scripts/register-ts.js',
        'libs/auth/src/cli/mint-token.ts',
        '--sub',
        'ci',
        '--roles',
        'service',
        '--ttl',
        '60',
      ],
      { cwd: WORKSPACE_ROOT, env: { PATH: process.env.PATH }, encoding: 'utf8' },
    );
    expect(jwt.verify(stdout.trim(), DEV_JWT_SECRET)).toMatchObject({ sub: 'ci', roles: ['service'] });
  }, 30_000);
});
