/**
 * Failpoints for crash tests: with `MESSAGING_CRASH_POINT=after-db-commit:300` the process kills itself
 * (SIGKILL, no shutdown hooks) at that point once 300 events have passed it, so tests can prove
 * exactly-once effects at each step of handling an event. Counting events rather than transactions
 * bounds how much is done at the crash however much one transaction gathers, so a test can be sure
 * work is left to redeliver. Unset in production: every check is then a no-op.
 */
export const CRASH_POINTS = ['before-db-commit', 'after-db-commit', 'after-offset-commit'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export class CrashPoints {
  private eventsPassed = 0;

  constructor(
    private readonly armed?: { point: CrashPoint; after: number },
    private readonly crash: () => void = () => process.kill(process.pid, 'SIGKILL'),
  ) {}

  static parse(spec: string | undefined): CrashPoints {
    if (!spec) return new CrashPoints();
    const [point, after] = spec.split(':');
    if (!CRASH_POINTS.includes(point as CrashPoint) || !/^\d+$/.test(after ?? '')) {
      throw new Error(`MESSAGING_CRASH_POINT must be <${CRASH_POINTS.join('|')}>:<events>, got "${spec}"`);
    }
    return new CrashPoints({ point: point as CrashPoint, after: Number(after) });
  }

  /** `events` is how many events this pass through the point carries (a transaction's or a commit's). */
  reached(point: CrashPoint, events: number): void {
    if (this.armed?.point !== point) return;
    this.eventsPassed += events;
    if (this.eventsPassed >= this.armed.after) this.crash();
  }
}
