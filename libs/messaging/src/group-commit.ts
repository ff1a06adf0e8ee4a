interface Submission<T, R> {
  items: T[];
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Runs submitted work one combined run at a time. Work submitted while a run is in flight waits for it,
 * then shares the next run with everything else that came meanwhile, up to `maxSize` (items, or what
 * `sizeOf` measures): under load, the batches of several partitions become one transaction, or the
 * sends of several requests one produce request, at about the cost of one; when nothing is in flight
 * a submission runs at once, so it adds no latency. Every submission of a run gets the run's result,
 * or its error.
 */
export class GroupCommit<T, R> {
  private waiting: Submission<T, R>[] = [];
  private draining = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R>,
    private readonly maxSize: number,
    private readonly sizeOf: (item: T) => number = () => 1,
  ) {}

  submit(items: T[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Batches handed over in the same turn of the event loop (the partitions of one fetch) start together.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const taken = this.takeRun();
      try {
        const result = await this.run(taken.flatMap((submission) => submission.items));
        for (const submission of taken) submission.resolve(result);
      } catch (error) {
        for (const submission of taken) submission.reject(error);
      }
    }
    this.draining = false;
  }

  /** The waiting submissions, oldest first, that fit in `maxSize` together; at least one. */
  private takeRun(): Submission<T, R>[] {
    let size = this.sizeOfSubmission(this.waiting[0]);
    let taken = 1;
    while (taken < this.waiting.length) {
      const next = this.sizeOfSubmission(this.waiting[taken]);
      if (size + next > this.maxSize) break;
      size += next;
      taken++;
    }
    return this.waiting.splice(0, taken);
  }

  private sizeOfSubmission(submission: Submission<T, R>): number {
    let size = 0;
    for (const item of submission.items) size += this.sizeOf(item);
    return size;
  }
}
