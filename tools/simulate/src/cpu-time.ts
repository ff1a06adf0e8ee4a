import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user and system, every thread) each process had used when read, in ms, by pid. */
export type CpuReadings = Map<number, number>;

let ticksPerSecond: number | undefined;

/** The kernel's clock tick, the unit of /proc's CPU times (100 on every usual Linux build). */
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/**
 * A `stat` file of /proc (a process's, or a thread's under `task/`) as fields numbered as proc(5) numbers
 * them, from 3 (the state) on: the command name (field 2) may hold spaces and parentheses, so the fields
 * are counted after its last ')'.
 */
export function procStat(path: string): (field: number) => number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (field) => Number(fields[field - 3]);
}

/** The CPU time a process has used so far in ms, or undefined when there is no such process (any more). */
export function processCpuMs(pid: number): number | undefined {
  let field: (field: number) => number;
  try {
    field = procStat(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  const [utime, stime] = [field(14), field(15)];
  return ((utime + stime) * 1000) / clockTicksPerSecond();
}

export function readCpu(pids: Iterable<number>): CpuReadings {
  const readings: CpuReadings = new Map();
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) readings.set(pid, ms);
  }
  return readings;
}

/**
 * The CPU the processes read in `after` used since `before`, in ms. A process not read before started
 * in between, so all its time counts; one gone by `after` is not counted (its last stretch is unknown).
 */
export function cpuUsedMs(before: CpuReadings, after: CpuReadings): number {
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  return used;
}

/** Local processes whose command line contains `marker` (a broker's main class, say). */
export function processesRunning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone since the listing
    }
  }
  return pids;
}
