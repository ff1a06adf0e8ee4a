/**
 * Runs a service's scheduled work every `everyMs`, never two runs at once. The work keeps its own
 * schedule in Postgres (what is due, what ran), so a tick missed while a run was in flight, or while the
 * service was down, is caught up by a later one. `stop` waits for the run in flight, so it commits
 * before the database pool closes.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly description: string,
    private readonly work: () => Promise<unknown>,
    private readonly logger: { error(message: string): void },
  ) {}

  /** `everyMs` of 0 or less leaves the task off (tests drive the work directly). */
  start(everyMs: number): void {
    if (everyMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.work()
        .catch((error: unknown) => this.logger.error(`${this.description} failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, everyMs);
    this.timer.unref();
  }

  /**
   * Stops the timer and waits for the run in flight. Called from `beforeApplicationShutdown`: Nest closes
   * the transports (the outbox relay's last flush among them) after those hooks and before
   * `onApplicationShutdown`, so what a run commits is published by this process on the way out.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
