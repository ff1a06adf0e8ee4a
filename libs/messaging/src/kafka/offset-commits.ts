export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka stores it. */
  offset: string;
}

/**
 * Gathers a consumer's processed offsets and commits them together, at most once per interval: one
 * offset-commit request for every partition the member reads instead of one per partition batch, which
 * was most of what the broker handled and kept each batch waiting for a round trip. Committing later is
 * safe because the inbox makes a re-read event a skipped duplicate; what is pending is sent at the latest
 * one interval on, at once when the partition is being taken away, and before the member leaves.
 */
export class OffsetCommits {
  private readonly pending = new Map<string, PartitionOffset>();
  private lastFlushAt = 0;
  private timer?: NodeJS.Timeout;
  private atOnce = false;
  private stopped = false;
  private flushes = 0;
  /** Per partition, the flush that last took an offset of it to commit. */
  private readonly lastFlushOf = new Map<string, number>();
  /** The commit sent and not answered yet, if any. */
  private inFlight?: Promise<void>;

  constructor(
    private readonly commit: (offsets: PartitionOffset[]) => Promise<void>,
    private readonly intervalMs: number,
    /**
     * A commit that failed on adding or on the timer is kept for the next one; the error only needs telling.
     * Thrown into the batch instead, a refusal after the member was evicted (`UNKNOWN_MEMBER_ID`, which
     * kafkajs hands back wrapped, without the type it rejoins on) would stop the consumer for good.
     */
    private readonly onFlushError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records `offset` as the partition's resume point; commits at once when `urgent` or the interval is up.
   * Never fails: a refused commit stays pending (see `flush`).
   */
  async add(offset: PartitionOffset, urgent = false): Promise<void> {
    if (this.stopped) return;
    this.pending.set(keyOf(offset), offset);
    const dueIn = this.lastFlushAt + this.intervalMs - this.now();
    if (urgent || this.atOnce || dueIn <= 0) {
      await this.flush().catch((error: unknown) => this.onFlushError(error));
      return;
    }
    this.timer ??= setTimeout(() => this.flushOnTimer(), dueIn);
  }

  private flushOnTimer(): void {
    this.timer = undefined;
    this.flush().catch((error: unknown) => this.onFlushError(error));
  }

  /** While the member is about to leave: every offset from now on is committed as it comes. */
  commitEachAtOnce(): void {
    this.atOnce = true;
  }

  /** Once the member has left: nothing more can be committed, and no timer may keep the process alive. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  /** After a rebalance: forgets what is pending for partitions this member no longer reads. */
  keepOnly(assigned: ReadonlySet<string>): void {
    for (const key of this.pending.keys()) if (!assigned.has(key)) this.pending.delete(key);
  }

  /**
   * Commits everything pending. On failure an offset stays pending, and is retried an interval on, unless
   * a later flush has taken a newer one for its partition: re-added, it would commit the partition back
   * behind what that flush committed. The retry is on the timer because the caller's own flush (the
   * first event after a quiet spell) may be the partition's last for a long time.
   *
   * One commit is sent at a time: kafkajs sends a commit that timed out or met a moving coordinator again
   * until it is answered, so a newer one sent meanwhile could be answered first and then overtaken, and
   * the partition committed back.
   */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    const flush = ++this.flushes;
    for (const offset of offsets) this.lastFlushOf.set(keyOf(offset), flush);
    this.pending.clear();
    this.lastFlushAt = this.now();
    const sending = this.commit(offsets);
    this.inFlight = sending;
    try {
      await sending;
    } catch (error) {
      for (const offset of offsets) {
        const key = keyOf(offset);
        if (!this.pending.has(key) && this.lastFlushOf.get(key) === flush) this.pending.set(key, offset);
      }
      if (!this.stopped && this.pending.size > 0)
        this.timer ??= setTimeout(() => this.flushOnTimer(), this.intervalMs);
      throw error;
    } finally {
      if (this.inFlight === sending) this.inFlight = undefined;
    }
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

function keyOf({ topic, partition }: PartitionOffset): string {
  return partitionKey(topic, partition);
}
