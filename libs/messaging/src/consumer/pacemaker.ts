import type { BatchControl } from '../kafka/broker-client';

/**
 * kafkajs heartbeats only between messages, so a handler that runs longer than the session timeout
 * would get its member evicted and its message redelivered in a loop (tulios/kafkajs#1083). The
 * pacemaker keeps heartbeating while a batch is in the handler's hands. A failed heartbeat means the
 * group is rebalancing: the batch stops at the next event boundary and rejoins.
 */
export class Pacemaker {
  private readonly timer: NodeJS.Timeout;
  private rebalancing = false;

  constructor(
    private readonly control: BatchControl,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => {
      control.heartbeat().catch(() => {
        this.rebalancing = true;
      });
    }, intervalMs);
    this.timer.unref();
  }

  shouldContinue(): boolean {
    return !this.rebalancing && this.control.shouldContinue();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
