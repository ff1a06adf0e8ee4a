import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@loyalty/platform';
import { MetricsService } from '@loyalty/observability';
import { ProfilesConfig } from '../config/profiles.config';
import { touchGuestFacts } from '../guests/newest-guest-facts';
import { ProfileCache } from '../guests/profile-cache';
import { applyPendingAdjustments, waitingAdjustments } from './stay-adjustments';

/**
 * Applies, on a timer, the adjustments that came before their stay was recorded (or while it was): the
 * adjustment's handler applies those whose stay is there, and recording a stay, the hot path, looks at
 * no adjustment. Two instances sweeping at once apply each adjustment once: it is marked applied under
 * its row lock.
 *
 * One whose stay never comes (it went to another chain's system, or its stay-completed was lost) would
 * wait silently: the gauges `profiles_stay_adjustments_waiting` and
 * `profiles_stay_adjustment_oldest_wait_seconds` show them, read on each scrape.
 */
@Injectable()
export class AdjustmentSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AdjustmentSweep.name);
  private readonly task = new PeriodicTask('adjustment sweep', () => this.sweep(), this.logger);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ProfilesConfig,
    private readonly cache: ProfileCache,
    metrics: MetricsService,
  ) {
    let reading: Promise<{ count: number; oldestWaitSeconds: number }> | undefined;
    // Both gauges from one query per scrape: the first to collect reads, the second takes its answer.
    const read = () =>
      (reading ??= waitingAdjustments(dataSource.manager).finally(() => (reading = undefined)));
    metrics.gauge(
      'profiles_stay_adjustments_waiting',
      'Stay adjustments waiting for their stay',
      [],
      async (gauge) => gauge.set((await read()).count),
    );
    metrics.gauge(
      'profiles_stay_adjustment_oldest_wait_seconds',
      'Seconds the oldest stay adjustment still waiting for its stay has waited since it came',
      [],
      async (gauge) => gauge.set((await read()).oldestWaitSeconds),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.PROFILES_ADJUSTMENT_SWEEP_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Applies what is waiting for a stay now recorded; returns the guests whose stays changed. */
  async sweep(): Promise<string[]> {
    const guestIds = await this.dataSource.transaction(async (manager) => {
      const changed = await applyPendingAdjustments(manager);
      // A new profile version, so a view cached from before this commit is not served as current.
      await touchGuestFacts(manager, ...changed);
      return changed;
    });
    await this.cache.evict(...guestIds);
    return guestIds;
  }
}
