import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { WORKSPACE_ROOT } from './infrastructure';
import { waitUntil } from './wait-until';

/**
 * Ports for processes under test come from a block of their own per jest worker, below the kernel's
 * ephemeral range (32768–60999 by default). A port asked of the kernel (`listen(0)`) and let go is free
 * only until something else takes it: another worker's pick, or any outgoing connection, whose local port
 * comes from that range. A service then failed to bind, and its health check could be answered by another
 * worker's service on the same port. Here no one else picks from the block and no client socket lands
 * in it; a port still held (by a process left from an earlier run) is passed over.
 */
const FIRST_PORT = 20_000;
const PORTS_PER_WORKER = 1_000;
// Jest loads this module afresh for every test file: starting where the clock says keeps a file from
// taking the ports the file before it has just let go.
let nextOffset = Date.now() % PORTS_PER_WORKER;

export async function freePort(): Promise<number> {
  const block = FIRST_PORT + (Number(process.env.JEST_WORKER_ID ?? 0) % 10) * PORTS_PER_WORKER;
  for (let tried = 0; tried < PORTS_PER_WORKER; tried++) {
    const port = block + (nextOffset++ % PORTS_PER_WORKER);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${block}-${block + PORTS_PER_WORKER - 1}`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export const SERVICE_LOG_DIR = path.join(WORKSPACE_ROOT, 'tmp', 'service-logs');

/**
 * One service as a real OS process, run from the compiled dist/ exactly as production runs it, so
 * tests can SIGKILL it mid-batch, SIGTERM it with work in flight, and start it again.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  readonly logFile: string;

  constructor(
    readonly service: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    readonly instance = 'a',
  ) {
    mkdirSync(SERVICE_LOG_DIR, { recursive: true });
    this.logFile = path.join(SERVICE_LOG_DIR, `${service}-${instance}-${process.pid}-${Date.now()}.log`);
  }

  static async create(service: string, env: Record<string, string>, instance = 'a'): Promise<ServiceProcess> {
    return new ServiceProcess(service, await freePort(), env, instance);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once /health/ready answers 200. */
  async start({ timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      // e.g. SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=tmp/profiles" to profile a service in a benchmark.
      [
        ...(process.env.SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        path.join(WORKSPACE_ROOT, 'dist/services', this.service, 'src/main.js'),
      ],
      {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, ...this.env, HTTP_PORT: String(this.port), HTTP_HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await waitUntil(
      `${this.service} (${this.instance}) to be ready`,
      async () => {
        if (!this.running) throw new Error(`${this.service} exited during start-up; log:\n${this.logTail()}`);
        const response = await fetch(`${this.baseUrl}/health/ready`).catch(() => undefined);
        return response?.status === 200;
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  /** SIGKILL: no shutdown hooks, no flush, nothing committed that was not already. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait for a graceful exit, or SIGKILL after `killAfterMs`; returns the exit code. */
  async stop({ killAfterMs }: { killAfterMs?: number } = {}): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child?.kill('SIGTERM');
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => this.child?.kill('SIGKILL'), killAfterMs);
    try {
      return (await this.exited) ?? null;
    } finally {
      clearTimeout(timer);
    }
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  logText(): string {
    return readFileSync(this.logFile, 'utf8');
  }
}
