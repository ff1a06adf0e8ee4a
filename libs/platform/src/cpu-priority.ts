import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Runs this process at `niceness` (0 to 19), never higher in priority than it was started at. Linux
 * keeps a niceness per thread and V8's and libuv's threads are already running, so each one is set (the
 * garbage collector yields too); threads started later inherit it. Elsewhere it sets the process.
 */
export function lowerCpuPriority(niceness: number): void {
  for (const thread of threadsOfThisProcess()) {
    try {
      if (getPriority(thread) < niceness) setPriority(thread, niceness);
    } catch (error) {
      // A thread that ended since the listing is fine; anything else is not.
      if ((error as { info?: { code?: string } }).info?.code !== 'ESRCH') throw error;
    }
  }
}

function threadsOfThisProcess(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}
