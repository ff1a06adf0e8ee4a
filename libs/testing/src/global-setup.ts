import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { startContainers } from './containers';
import {
  WORKSPACE_ROOT,
  dockerIsReachable,
  exportInfrastructure,
  fromEnvironment,
  startLocalInfrastructure,
  type TestInfrastructure,
} from './infrastructure';

declare global {
  var __TEST_CONTAINERS__: StartedTestContainer[] | undefined;
}

/**
 * Jest global setup for the integration project: finds or starts real infrastructure and makes sure
 * the compiled services in dist/ are current (tests that kill and restart services run them as
 * separate processes, exactly as production does).
 */
export default async function globalSetup(): Promise<void> {
  let infra: TestInfrastructure | undefined = fromEnvironment();
  if (!infra && dockerIsReachable()) {
    const started = await startContainers();
    globalThis.__TEST_CONTAINERS__ = started.containers;
    process.env.TEST_POSTGRES_CONTAINER = started.containers[1].getId();
    infra = started.infra;
  }
  infra ??= startLocalInfrastructure();
  exportInfrastructure(infra);
  process.stdout.write(
    `\n[integration] ${infra.provider}: kafka ${infra.kafkaBrokers}, redis ${infra.redisUrl}\n`,
  );
  buildIfStale();
}

// Tools too: the main command's test runs the built simulator.
const SOURCE_ROOTS = ['libs', 'services', 'tools'];
const STAMP = path.join(WORKSPACE_ROOT, 'dist', '.build-stamp');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'test') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale(): void {
  const sources = Math.max(...SOURCE_ROOTS.map((root) => newestSource(path.join(WORKSPACE_ROOT, root))));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  process.stdout.write('[integration] building dist/ for the service processes\n');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: WORKSPACE_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
  writeFileSync(STAMP, new Date().toISOString());
}
