import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testInfrastructure, waitUntil, WORKSPACE_ROOT } from '@loyalty/testing';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as on-call runs it (`npm run loyalty`, the package's `bin`): compiled in dist/ (the integration
 * setup builds it when stale), a real process, parsing real argv, with a real exit code.
 */
const CLI = path.join(WORKSPACE_ROOT, 'dist/tools/cli/src/main.js');

function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, KAFKA_BROKERS: testInfrastructure().kafkaBrokers, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The exit code, with the CLI's stderr when it is not 0: a failed expectation then shows why it failed. */
export function exitOf({ code, stderr }: CliResult): { code: number | null; stderr?: string } {
  return code === 0 ? { code } : { code, stderr };
}

export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`loyalty ${args.join(' ')} did not finish in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The CLI with its stdout and stderr both piped into `reader` (a shell pipeline such as `2>&1 | head -1`),
 * and the CLI's own exit code, not the reader's.
 */
export function runCliPipedInto(
  args: string[],
  reader: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const cli = [CLI, ...args];
    const child = spawn(
      'bash',
      ['-c', `"$0" "$@" 2>&1 | ${reader}; exit "\${PIPESTATUS[0]}"`, process.execPath, ...cli],
      {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, KAFKA_BROKERS: testInfrastructure().kafkaBrokers, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`loyalty ${args.join(' ')} | ${reader} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: '' });
    });
  });
}

/** A CLI process that runs until stopped (`tail` following, `lag --watch`). */
export class RunningCli {
  stdout = '';
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawnCli(args, env);
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  async waitForStderr(pattern: RegExp): Promise<void> {
    await waitUntil(`CLI stderr to match ${pattern}`, () => pattern.test(this.stderr), { timeoutMs: 60_000 });
  }

  lines(): string[] {
    return this.stdout.split('\n').filter((line) => line !== '');
  }

  /** Ctrl-C, and the exit code. */
  async interrupt(): Promise<number | null> {
    this.child.kill('SIGINT');
    return this.exited;
  }
}

/** The throw-away consumer groups a CLI run announced on stderr. */
export function announcedGroups(stderr: string): string[] {
  return [...stderr.matchAll(/throw-away group (loyalty-cli-[a-z]+-[0-9a-f]+)/g)].map((match) => match[1]);
}
