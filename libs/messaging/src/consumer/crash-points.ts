/**
 * Failpoints for crash tests: with `MESSAGING_CRASH_POINT=after-db-commit:3` the process kills itself
 * (SIGKILL, no shutdown hooks) the third time it reaches that point, so tests can prove exactly-once
 * effects at each step of handling an event. Unset in production: every check is then a no-op.
 */
export const CRASH_POINTS = ['before-db-commit', 'after-db-commit', 'after-offset-commit'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export class CrashPoints {
  private reachedCount = 0;

  constructor(
    private readonly armed?: { point: CrashPoint; after: number },
    private readonly crash: () => void = () => process.kill(process.pid, 'SIGKILL'),
  ) {}

  static parse(spec: string | undefined): CrashPoints {
    if (!spec) return new CrashPoints();
    const [point, after] = spec.split(':');
    if (!CRASH_POINTS.includes(point as CrashPoint) || !/^\d+$/.test(after ?? '')) {
      throw new Error(`MESSAGING_CRASH_POINT must be <${CRASH_POINTS.join('|')}>:<count>, got "${spec}"`);
    }
    return new CrashPoints({ point: point as CrashPoint, after: Number(after) });
  }

  reached(point: CrashPoint): void {
    if (this.armed?.point !== point) return;
    this.reachedCount++;
    if (this.reachedCount >= this.armed.after) this.crash();
  }
}
