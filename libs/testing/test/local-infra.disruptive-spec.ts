import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createNewTopics, WORKSPACE_ROOT } from '@loyalty/testing';

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
  const local = (command: string, overrides: Record<string, string> = {}) =>
    spawnSync('bash', [path.join(WORKSPACE_ROOT, 'infra/local'), command], {
      env: { ...env, ...overrides },
      encoding: 'utf8',
      timeout: 240_000,
    });

  /**
   * A foreign program on `port` that takes connections and answers nothing. A process of its own: this
   * one's event loop stands still while `spawnSync` waits for the script.
   */
  async function squat(port: number): Promise<ChildProcess> {
    const squatter = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer(() => {}).listen(${port}, '127.0.0.1')`,
    ]);
    for (let attempt = 0; !(await listening(port)); attempt++) {
      if (attempt === 100) throw new Error(`nothing listens on ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return squatter;
  }

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

  it('should come up twice in a row, serve a real broker the CLI can read at once, and leave nothing listening after down', async () => {
    expect(outcome(local('up'))).toEqual({ status: 0 });
    const second = local('up');
    expect(outcome(second)).toEqual({ status: 0 });
    expect(second.stdout).toMatch(/kafka already running/);

    const kafka = new Kafka({
      clientId: 'infra-test',
      brokers: ['127.0.0.1:19092'],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await createNewTopics(admin, [{ topic: 'infra-probe', numPartitions: 1 }]);
    expect(await admin.listTopics()).toContain('infra-probe');
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'infra-probe', messages: [{ key: 'k', value: '{}' }] });
    await producer.disconnect();
    // The first consumer group on a new broker waits for its offsets topic to be made: the CLI must too.
    const tail = spawnSync(
      process.execPath,
      ['dist/tools/cli/src/main.js', 'tail', 'infra-probe', '--from-beginning', '--exit'],
      {
        cwd: WORKSPACE_ROOT,
        env: { ...env, KAFKA_BROKERS: '127.0.0.1:19092', NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(outcome(tail)).toEqual({ status: 0 });
    expect(local('status').stdout).toMatch(/kafka\s+running\s+127\.0\.0\.1:19092/);

    expect(outcome(local('down'))).toEqual({ status: 0 });
    expect(await listening(19092)).toBe(false);
    expect(await listening(19093)).toBe(false);
    expect(local('status').stdout).toMatch(/kafka\s+stopped/);
  });

  it('should refuse a Redis port held by a process that does not answer PING, and not take Redis for its own', async () => {
    const squatter = await squat(16390);
    try {
      const result = local('up', { REDIS_PORT: '16390' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('port 16390 is taken by a process that does not answer PING');
    } finally {
      squatter.kill();
    }
    // `down` stops a Redis `up` started: marked, it would stop whatever holds the port later.
    const startedByUs = path.join(home, 'started-by-infra');
    expect(existsSync(startedByUs) ? readFileSync(startedByUs, 'utf8') : '').not.toMatch(/redis/);
  });

  it('should refuse to start a service whose port another process holds, rather than report it ready', async () => {
    const squatter = await squat(3001);
    try {
      const result = spawnSync('bash', [path.join(WORKSPACE_ROOT, 'infra/start'), '--services-only'], {
        env,
        encoding: 'utf8',
        timeout: 480_000,
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('port 3001 (profiles) is in use by another process');
      expect(result.stdout).not.toMatch(/profiles\s+ready/);
    } finally {
      squatter.kill();
    }
  });
});
