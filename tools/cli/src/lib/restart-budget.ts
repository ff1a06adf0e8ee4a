/** Allows so many restarts within any window of time; progress made since clears the count. */
export class RestartBudget {
  private restarts: number[] = [];

  constructor(
    private readonly allowed: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a restart, and says whether it is within the budget. */
  spend(): boolean {
    const now = this.now();
    this.restarts = [...this.restarts.filter((at) => now - at < this.windowMs), now];
    return this.restarts.length <= this.allowed;
  }

  progressed(): void {
    this.restarts = [];
  }
}
