import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpuUsedMs, processCpuMs, processesRunning, readCpu } from './cpu-time';

/**
 * A node child that spins until it has used `busyMs` of CPU (by its own count, so a loaded machine
 * only makes it take longer), then idles until killed; resolves once it has spun.
 */
async function spinner(busyMs: number, marker: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
       const start = cpuMs(); while (cpuMs() - start < ${busyMs}); process.stdout.write('spun');
       setInterval(() => undefined, 1000); // ${marker}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(child.stdout as NodeJS.ReadableStream, 'data');
  return child;
}

describe('CPU time from /proc', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('reads the CPU a process has spent, including what it spins on after the first reading', async () => {
    const idle = await spinner(0, 'cpu-time-spec-idle');
    const busy = await spinner(600, 'cpu-time-spec-busy');
    children.push(idle, busy);
    const before = readCpu([idle.pid as number, busy.pid as number]);
    // The busy child spun 600 ms of CPU more than the idle one (/proc counts in 10 ms ticks).
    expect(before.get(busy.pid as number)).toBeGreaterThanOrEqual(590);
    expect(before.get(busy.pid as number)).toBeGreaterThan((before.get(idle.pid as number) as number) + 400);

    const later = await spinner(400, 'cpu-time-spec-later');
    children.push(later);
    const after = readCpu([idle.pid as number, busy.pid as number, later.pid as number]);
    const used = cpuUsedMs(before, after);
    // The two first children idled in between; the third started after the first reading and spun
    // 400 ms, all of which counts.
    expect(used).toBeGreaterThanOrEqual(390);
    expect(used).toBeLessThan((after.get(later.pid as number) as number) + 100);
  });

  it('reads nothing for a process that has exited, and leaves it out of the use', async () => {
    const child = await spinner(0, 'cpu-time-spec-exits');
    const pid = child.pid as number;
    const before = readCpu([pid]);
    expect(before.has(pid)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(processCpuMs(pid)).toBeUndefined();
    expect(readCpu([pid]).size).toBe(0);
    expect(cpuUsedMs(before, readCpu([pid]))).toBe(0);
  });

  it('finds local processes by a marker in their command line', async () => {
    const child = await spinner(0, 'cpu-time-spec-marker-7f3a');
    children.push(child);
    expect(processesRunning('cpu-time-spec-marker-7f3a')).toEqual([child.pid]);
    expect(processesRunning('cpu-time-spec-marker-absent-9c1d')).toEqual([]);
  });
});
