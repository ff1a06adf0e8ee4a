import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@loyalty/platform';
import { ProfilesConfig } from '../config/profiles.config';
import { scoreRfm } from '../domain/rfm';

/** Arbitrary constant: only one instance recomputes the segments at a time. */
const RFM_LOCK = 0x70726f66;

const SCORED_EARLIER = '(segment is not null or rfm_recency is not null)';

/** Guests who withdrew profiling on any channel (the latest word per channel). */
const PROFILING_WITHDRAWN = `select guest_id from (
    select distinct on (guest_id, channel) guest_id, granted from guest_consents
    where purpose = 'profiling' order by guest_id, channel, id desc) latest
  where not granted`;

/**
 * Recomputes RFM quintiles and the customer pyramid for every active guest who did not withdraw
 * profiling, on a timer; any other guest holds none.
 */
@Injectable()
export class SegmentsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SegmentsService.name);
  private readonly task = new PeriodicTask('RFM recompute', () => this.recompute(), this.logger);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ProfilesConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.PROFILES_RFM_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  async recompute(now: Date = new Date()): Promise<{ guests: number }> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }]: { locked: boolean }[] = await manager.query(
        'select pg_try_advisory_xact_lock($1) as locked',
        [RFM_LOCK],
      );
      if (!locked) return { guests: 0 };
      // A guest who withdrew profiling on any channel (the latest word per channel) is not scored, as
      // `guest-updated` reads consent: a refusal by email is not undone by a yes in the app. A stay corrected
      // to 0 nights is no visit, for recency and frequency; what was paid for it counts.
      const rows: { guest_id: string; last_departure: string; stays: string; revenue: string }[] =
        await manager.query(
          `select s.guest_id, max(s.departure) filter (where s.nights > 0)::text as last_departure,
                  count(*) filter (where s.nights > 0) as stays, sum(s.program_revenue_minor) as revenue
           from stays s join guests g on g.id = s.guest_id and g.status = 'active'
           where s.guest_id not in (${PROFILING_WITHDRAWN})
           group by s.guest_id
           having count(*) filter (where s.nights > 0) > 0`,
        );
      const scores = scoreRfm(
        rows.map((r) => ({
          guestId: r.guest_id,
          recencyDays: Math.max(0, Math.floor((now.getTime() - Date.parse(r.last_departure)) / 86_400_000)),
          stays: Number(r.stays),
          revenueMinor: Number(r.revenue),
        })),
      );
      const scored = scores.map((s) => s.guestId);
      // Locked in id order first, as every writer of guest rows locks them: a stay batch holding some of
      // these rows then waits for the recompute (or it for the batch), and neither is rolled back by a deadlock.
      // No key update: the segment columns are no key, so the facts and complaints that key-share a guest
      // row while they find its survivor do not wait for the whole recompute. Scored earlier but not now
      // (profiling withdrawn since, merged away, erased): the old scores are cleared with the rest.
      await manager.query(
        `select id from guests where id = any($1::uuid[]) or ${SCORED_EARLIER}
         order by id for no key update`,
        [scored],
      );
      await manager.query(
        `update guests set rfm_recency = null, rfm_frequency = null, rfm_monetary = null, segment = null,
           updated_at = now()
         where ${SCORED_EARLIER} and id <> all($1::uuid[])`,
        [scored],
      );
      // Read again under the locks: a withdrawal, an erasure or a merge that committed after the scores were
      // computed (its writer held the guest row, which the lock above waited for) keeps the guest unscored.
      await manager.query(
        `update guests g set rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m, segment = s.seg, updated_at = now()
         from unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::text[]) as s(id, r, f, m, seg)
         where g.id = s.id and g.status = 'active' and g.id not in (${PROFILING_WITHDRAWN})`,
        [
          scored,
          scores.map((s) => s.recency),
          scores.map((s) => s.frequency),
          scores.map((s) => s.monetary),
          scores.map((s) => s.segment),
        ],
      );
      return { guests: scores.length };
    });
  }
}
