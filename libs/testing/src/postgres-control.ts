import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { testInfrastructure } from './infrastructure';

/**
 * Stops and starts the real Postgres the tests use, for outage tests. Only possible where the tests
 * own the server: the local infrastructure (pg_ctlcluster) or a testcontainer (paused and resumed, so
 * its mapped port survives). A shared database given through DATABASE_URL cannot be stopped.
 */
export function postgresControl(): { stop(): unknown; start(): unknown } {
  const { provider } = testInfrastructure();
  if (provider === 'local') {
    const version = readdirSync('/etc/postgresql')[0];
    const ctl = (action: string) =>
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], {
        stdio: 'inherit',
      });
    const { PGHOST = '127.0.0.1', PGPORT = '5432' } = process.env;
    const running = () => spawnSync('pg_isready', ['-q', '-h', PGHOST, '-p', PGPORT]).status === 0;
    return {
      stop: () => running() && ctl('stop'),
      start: () => running() || ctl('start'),
    };
  }
  const container = process.env.TEST_POSTGRES_CONTAINER;
  if (provider === 'testcontainers' && container) {
    return {
      stop: () => execFileSync('docker', ['pause', container]),
      start: () => execFileSync('docker', ['unpause', container]),
    };
  }
  throw new Error(
    'outage tests need Postgres they may stop: run them on the local infrastructure or testcontainers',
  );
}
