import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** What the services stand on and a tool that only talks to the broker never uses. */
const SERVICE_FRAMEWORKS = [
  '@nestjs/common',
  '@nestjs/core',
  'typeorm',
  'pg',
  'ioredis',
  'prom-client',
  'pino',
];

describe('the CLI at start-up', () => {
  it('should load none of the services’ frameworks, so each command starts in well under a second', () => {
    // In a process of its own: jest's module registry is not Node's, and keeps what other specs loaded.
    const script = `require('./tools/cli/src/main.ts'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
    const loaded: string[] = JSON.parse(
      execFileSync(process.execPath, ['-r', './infra/scripts/register-ts.js', '-e', script], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    );
    const packages = new Set(
      loaded.flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? []),
    );

    expect(packages).toContain('kafkajs');
    expect(SERVICE_FRAMEWORKS.filter((name) => packages.has(name))).toEqual([]);
  });
});
