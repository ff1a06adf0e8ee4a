import { execFileSync } from 'node:child_process';
import path from 'node:path';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

/** The niceness of every thread of a fresh node process that lowers its priority to `niceness`. */
function threadNicenessAfterLowering(niceness: number, launcher: string[] = []): number[] {
  const script = `
    require(${JSON.stringify(path.join(__dirname, 'cpu-priority.ts'))}).lowerCpuPriority(${niceness});
    // Threads started afterwards (libuv's pool, on first use) must inherit it.
    require('node:crypto').pbkdf2('x', 'y', 1, 8, 'sha256', () => {
      const fs = require('node:fs');
      const nice = (task) => {
        const stat = fs.readFileSync('/proc/self/task/' + task + '/stat', 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19 of proc(5)
      };
      console.log(JSON.stringify(fs.readdirSync('/proc/self/task').map(nice)));
    });`;
  const [command, ...args] = [
    ...launcher,
    process.execPath,
    '-r',
    path.join(WORKSPACE_ROOT, 'infra/scripts/register-ts.js'),
    '-e',
    script,
  ];
  return JSON.parse(execFileSync(command, args, { cwd: WORKSPACE_ROOT, encoding: 'utf8' })) as number[];
}

describe('lowerCpuPriority', () => {
  it('should set every thread, those started later included, to the niceness', () => {
    const threads = threadNicenessAfterLowering(10);
    // The main thread, V8's platform workers and libuv's pool of four at least.
    expect(threads.length).toBeGreaterThan(6);
    expect(new Set(threads)).toEqual(new Set([10]));
  }, 30_000);

  it('should leave a process started at a lower priority where it is', () => {
    expect(new Set(threadNicenessAfterLowering(5, ['nice', '-n', '15']))).toEqual(new Set([15]));
  }, 30_000);
});
