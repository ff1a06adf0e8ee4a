import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { WORKSPACE_ROOT } from '@loyalty/testing';

/** `infra/local` on ports and a data folder of its own, so the suite's shared broker is left alone. */
describe('infra/local', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'loyalty-infra-'));
  // The broker's jars the suite's own broker runs from, when fetched: fetching them again from Maven
  // Central would test its availability, not this script (every fresh clone's first `up` fetches them).
  const cache = path.join(WORKSPACE_ROOT, 'infra/.cache');
  for (const fetched of existsSync(cache) ? readdirSync(cache) : []) {
    if (fetched.startsWith('kafka-') && existsSync(path.join(cache, fetched, 'libs/.complete')))
      cpSync(path.join(cache, fetched), path.join(home, fetched), { recursive: true });
  }
  const env = {
    ...process.env,
    KAFKA_PORT: '19092',
    KAFKA_CONTROLLER_PORT: '19093',
    KAFKA_HEAP: '512m',
    LOYALTY_INFRA_HOME: home,
  };
  const local = (command: string) =>
    spawnSync('bash', [path.join(WORKSPACE_ROOT, 'infra/local'), command], {
      env,
      encoding: 'utf8',
      timeout: 240_000,
    });

  /** The exit status, with what the script said when it failed, so a failure names its cause. */
  const outcome = (result: ReturnType<typeof local>) =>
    result.status === 0 ? { status: 0 } : { status: result.status, said: `${result.stdout}${result.stderr}` };

  const listening = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });

  afterAll(() => {
    local('down');
    rmSync(home, { recursive: true, force: true });
  });

  it('should come up twice in a row, serve a real broker, and leave nothing listening after down', async () => {
    expect(outcome(local('up'))).toEqual({ status: 0 });
    const second = local('up');
    expect(outcome(second)).toEqual({ status: 0 });
    expect(second.stdout).toMatch(/kafka already running/);

    const admin = new Kafka({
      clientId: 'infra-test',
      brokers: ['127.0.0.1:19092'],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'infra-probe', numPartitions: 1 }], waitForLeaders: true });
    expect(await admin.listTopics()).toContain('infra-probe');
    await admin.disconnect();
    expect(local('status').stdout).toMatch(/kafka\s+running\s+127\.0\.0\.1:19092/);

    expect(outcome(local('down'))).toEqual({ status: 0 });
    expect(await listening(19092)).toBe(false);
    expect(await listening(19093)).toBe(false);
    expect(local('status').stdout).toMatch(/kafka\s+stopped/);
  });
});
