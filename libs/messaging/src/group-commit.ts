interface Submission<T, R> {
  items: T[];
  size: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** A submission's outcome, and the means to take it back while it still waits. */
export interface Enqueued<R> {
  result: Promise<R>;
  /**
   * Takes the submission out of the queue when its run has not started: it is then never run, `result`
   * rejects with `GroupCommitWithdrawn`, and this returns true. False once its run has started (its
   * work may still take effect) or it has settled.
   */
  withdraw(): boolean;
}

/** What waits for a run would pass `maxWaitingSize` with this submission: refused rather than queued. */
export class GroupCommitFull extends Error {
  constructor(waiting: number, submitted: number, maxWaitingSize: number) {
    super(`${waiting} waiting, ${submitted} more would pass the limit of ${maxWaitingSize}`);
    this.name = 'GroupCommitFull';
  }
}

export class GroupCommitWithdrawn extends Error {
  constructor() {
    super('withdrawn before its run started');
    this.name = 'GroupCommitWithdrawn';
  }
}

/**
 * Runs submitted work one combined run at a time. Work submitted while a run is in flight waits for it,
 * then shares the next run with everything else that came meanwhile, up to `maxSize` (items, or what
 * `sizeOf` measures): under load, the batches of several partitions become one transaction, or the
 * sends of several requests one produce request, at about the cost of one; when nothing is in flight
 * a submission runs at once, so it adds no latency. Every submission of a run gets the run's result,
 * or its error.
 *
 * A run that never ends (a broker retrying through an outage) would let what waits grow without bound:
 * `maxWaitingSize` refuses a submission that would take the waiting work past it (`GroupCommitFull`),
 * except when nothing waits, so a lone submission larger than the limit still runs.
 */
export class GroupCommit<T, R> {
  private waiting: Submission<T, R>[] = [];
  private waitingSize = 0;
  private draining = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R>,
    private readonly maxSize: number,
    private readonly sizeOf: (item: T) => number = () => 1,
    private readonly maxWaitingSize = Number.POSITIVE_INFINITY,
  ) {}

  submit(items: T[]): Promise<R> {
    return this.enqueue(items).result;
  }

  enqueue(items: T[]): Enqueued<R> {
    let size = 0;
    for (const item of items) size += this.sizeOf(item);
    if (this.waiting.length > 0 && this.waitingSize + size > this.maxWaitingSize) {
      const full = new GroupCommitFull(this.waitingSize, size, this.maxWaitingSize);
      return { result: Promise.reject(full), withdraw: () => false };
    }
    let submission!: Submission<T, R>;
    const result = new Promise<R>((resolve, reject) => {
      submission = { items, size, resolve, reject };
    });
    this.waiting.push(submission);
    this.waitingSize += size;
    if (!this.draining) {
      this.draining = true;
      // Batches handed over in the same turn of the event loop (the partitions of one fetch) start together.
      setImmediate(() => void this.drain());
    }
    return { result, withdraw: () => this.withdraw(submission, result) };
  }

  private withdraw(submission: Submission<T, R>, result: Promise<R>): boolean {
    const at = this.waiting.indexOf(submission);
    if (at < 0) return false;
    this.waiting.splice(at, 1);
    this.waitingSize -= submission.size;
    // The submitter that withdrew may no longer wait for the result; its rejection is expected.
    result.catch(() => undefined);
    submission.reject(new GroupCommitWithdrawn());
    return true;
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
    let size = this.waiting[0].size;
    let taken = 1;
    while (taken < this.waiting.length) {
      const next = this.waiting[taken].size;
      if (size + next > this.maxSize) break;
      size += next;
      taken++;
    }
    for (let i = 0; i < taken; i++) this.waitingSize -= this.waiting[i].size;
    return this.waiting.splice(0, taken);
  }
}
