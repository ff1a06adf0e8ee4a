import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@loyalty/testing';

describe('points-ledger start-up', () => {
  it('should exit at once, naming the variable, when DATABASE_URL is invalid', () => {
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      [path.join(WORKSPACE_ROOT, 'dist/services/points-ledger/src/main.js')],
      {
        env: { ...process.env, DATABASE_URL: 'mysql://somewhere/else' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
