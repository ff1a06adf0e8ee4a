import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { PeriodicTask } from '@loyalty/platform';
import { ProfilesConfig } from '../config/profiles.config';
import {
  DEFAULT_PYRAMID,
  type GuestActivity,
  type PyramidSegment,
  type PyramidShares,
  type RfmScore,
} from '../domain/rfm';

/** Arbitrary constant: only one instance recomputes the segments at a time. */
const RFM_LOCK = 0x70726f66;

/**
 * Guests (of every status, in id order) per transaction of the recompute. Each transaction locks only those
 * of its guests whose scores change, for the few tens of milliseconds it takes to write them, so a stay batch
 * or a staff change meeting one waits about that long; and Node holds one chunk's scores at a time. Much
 * smaller, and the per-transaction round trips would add up over a chain (300 chunks for 1.5 M guests).
 */
export const RFM_CHUNK_GUESTS = 5_000;

/** A condition on a guest id column, which `activity` and `profilingWithdrawn` apply to their tables. */
type GuestsWhere = (column: string) => string;

const everyGuest: GuestsWhere = () => 'true';

/** In the chunk after $1 (none: from the first guest) up to $2 (none: to the last), in id order. */
const inChunk: GuestsWhere = (column) =>
  `($1::uuid is null or ${column} > $1::uuid) and ($2::uuid is null or ${column} <= $2::uuid)`;

/** Guests among these who withdrew profiling on any channel (the latest word per channel). */
const profilingWithdrawn = (among: GuestsWhere) => `select guest_id from (
    select distinct on (guest_id, channel) guest_id, granted from guest_consents
    where purpose = 'profiling' and ${among('guest_id')} order by guest_id, channel, id desc) latest
  where not granted`;

/**
 * The guests scored, each with their stays as RFM reads them: active, profiling not withdrawn on any channel
 * (as `guest-updated` reads consent: a refusal by email is not undone by a yes in the app), and with a visit.
 * A stay corrected to 0 nights is no visit, for recency and frequency; what was paid for it counts.
 */
const activity = (among: GuestsWhere) => `
  select s.guest_id, max(s.departure) filter (where s.nights > 0) as last_departure,
         count(*) filter (where s.nights > 0) as stays, sum(s.program_revenue_minor) as revenue
  from stays s join guests g on g.id = s.guest_id and g.status = 'active'
  where ${among('s.guest_id')}
    and s.guest_id not in (${profilingWithdrawn(among)})
  group by s.guest_id
  having count(*) filter (where s.nights > 0) > 0`;

/**
 * The RFM value of a dimension that ranks `position`th (from 1) across the population, worst first: the
 * longest recency, the fewest stays, the least revenue.
 */
export type RfmOrderStatistic = (dimension: 'recency' | 'stays' | 'revenue', position: number) => number;

/**
 * Where the chain-wide scores change: a guest scored against these gets what `scoreRfm` gives them among
 * the whole population, so the population can be scored a chunk at a time.
 */
export interface RfmCutPoints {
  /** Quintiles 2 to 5 of recency: a guest reaches each whose number of days is more than theirs. */
  recencyDays: number[];
  /** Quintiles 2 to 5 of frequency: a guest reaches each whose number of stays is less than theirs. */
  stays: number[];
  /** Quintiles 2 to 5 of monetary: a guest reaches each whose revenue is less than theirs. */
  revenueMinor: number[];
  /** The revenue from which a guest is VIP, major, ordinary (Infinity: none is; -Infinity: any is). */
  pyramid: [number, number, number];
}

/**
 * The positions (worst first, from 1) of the values that cut a population of `n` into quintiles. `scoreRfm`
 * gives a value the quintile floor(5r / n) + 1, r the number of values worse than it: above q once r ≥ qn/5,
 * that is once the ⌈qn/5⌉th worst value is worse than it.
 */
export function quintilePositions(n: number): number[] {
  return [1, 2, 3, 4].map((q) => Math.ceil((q * n) / 5));
}

/** The shares of the guests that are VIP, VIP or major, and VIP, major or ordinary, summed as `scoreRfm` sums them. */
export function cumulativeShares(shares: PyramidShares = DEFAULT_PYRAMID): [number, number, number] {
  return [shares.vip, shares.vip + shares.major, shares.vip + shares.major + shares.ordinary];
}

/** How many of a population of `n` are VIP, VIP or major, ...: rounded as `scoreRfm` rounds them. */
export function pyramidSizes(n: number, shares: PyramidShares = DEFAULT_PYRAMID): [number, number, number] {
  const [vip, major, ordinary] = cumulativeShares(shares).map((share) => Math.round(share * n));
  return [vip, major, ordinary];
}

/** The cut points of a population of `n` (at least 1) whose order statistics `worstAt` gives. */
export function rfmCutPoints(
  n: number,
  worstAt: RfmOrderStatistic,
  shares: PyramidShares = DEFAULT_PYRAMID,
): RfmCutPoints {
  const positions = quintilePositions(n);
  // `scoreRfm` puts a guest in a tier when fewer than its size spend more: they spend at least the
  // size-th most, which is the (n + 1 - size)th least.
  const [vip, major, ordinary] = pyramidSizes(n, shares).map((size) =>
    size <= 0 ? Infinity : size > n ? -Infinity : worstAt('revenue', n + 1 - size),
  );
  return {
    recencyDays: positions.map((position) => worstAt('recency', position)),
    stays: positions.map((position) => worstAt('stays', position)),
    revenueMinor: positions.map((position) => worstAt('revenue', position)),
    pyramid: [vip, major, ordinary],
  };
}

/** The guest's scores against the chain-wide cut points: what `scoreRfm` gives them among the population. */
export function scoreAgainst(cut: RfmCutPoints, guest: GuestActivity): RfmScore {
  const quintile = (cuts: number[], beats: (cut: number) => boolean) => 1 + cuts.filter(beats).length;
  const [vip, major, ordinary] = cut.pyramid;
  const revenue = guest.revenueMinor;
  const segment: PyramidSegment =
    revenue >= vip ? 'vip' : revenue >= major ? 'major' : revenue >= ordinary ? 'ordinary' : 'small';
  return {
    guestId: guest.guestId,
    recency: quintile(cut.recencyDays, (days) => guest.recencyDays < days),
    frequency: quintile(cut.stays, (stays) => guest.stays > stays),
    monetary: quintile(cut.revenueMinor, (revenueMinor) => revenue > revenueMinor),
    segment,
  };
}

/** Whole days since the departure (at least 0): the recency `scoreRfm` ranks. */
function recencyDays(now: Date, departure: string): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(departure)) / 86_400_000));
}

/**
 * Recomputes RFM quintiles and the customer pyramid for every active guest who did not withdraw
 * profiling, on a timer; any other guest holds none.
 *
 * The quintiles and tiers are chain-wide: one query reads, for the whole population, the few values that
 * cut it (`RfmCutPoints`). The guests are then scored a chunk of `RFM_CHUNK_GUESTS` at a time, in id order,
 * each chunk in a transaction of its own, which writes only the guests whose scores change: a guest's
 * profile version (which a cached view must match to be served) moves only when its scores or segment do.
 */
@Injectable()
export class SegmentsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SegmentsService.name);
  private readonly task = new PeriodicTask('RFM recompute', () => this.recompute(), this.logger);
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ProfilesConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.PROFILES_RFM_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    // A run in flight stops after its current chunk: those done keep their new scores, the others the
    // ones they had, until the next run.
    this.stopping = true;
    return this.task.stop();
  }

  /**
   * @param now what recency counts days to
   * @param chunkGuests guests per transaction (tests make it small)
   * @returns the guests scored; none when another run holds the recompute
   */
  async recompute(
    now: Date = new Date(),
    { chunkGuests = RFM_CHUNK_GUESTS }: { chunkGuests?: number } = {},
  ): Promise<{ guests: number }> {
    // The run's own session, which holds the recompute's lock across the chunks' transactions.
    const runner = this.dataSource.createQueryRunner();
    try {
      const [{ locked }]: { locked: boolean }[] = await runner.query(
        'select pg_try_advisory_lock($1) as locked',
        [RFM_LOCK],
      );
      if (!locked) return { guests: 0 };
      try {
        return await this.recomputeInChunks(runner, now, chunkGuests);
      } finally {
        await runner.query('select pg_advisory_unlock($1)', [RFM_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async recomputeInChunks(
    runner: QueryRunner,
    now: Date,
    chunkGuests: number,
  ): Promise<{ guests: number }> {
    const started = Date.now();
    const cut = await this.cutPoints(runner, now);
    const totals = { guests: 0, changed: 0, chunks: 0 };
    let after: string | null = null;
    for (;;) {
      if (this.stopping) {
        this.logger.warn(`RFM recompute stopped by the shutdown after ${totals.chunks} chunks`);
        break;
      }
      // The chunk's last guest; none when fewer are left, and the chunk takes every guest after `after`.
      const last: { id: string }[] = await runner.query(
        `select id from guests where ($1::uuid is null or id > $1::uuid) order by id offset $2 limit 1`,
        [after, chunkGuests - 1],
      );
      const through: string | null = last[0]?.id ?? null;
      const done = await inTransaction(runner, () => this.recomputeChunk(runner, after, through, cut, now));
      totals.guests += done.guests;
      totals.changed += done.changed;
      totals.chunks++;
      if (!through) break;
      after = through;
    }
    this.logger.log(
      `RFM recompute: ${totals.guests} guests scored, ${totals.changed} changed, in ${totals.chunks} chunks ` +
        `and ${Date.now() - started} ms`,
    );
    return { guests: totals.guests };
  }

  /**
   * The population's cut points, from one read of every guest's stays; undefined when no guest is scored.
   * Postgres ranks the guests and sends only the values at the positions that cut them: ⌈qn/5⌉ for the
   * quintiles, and for the tiers n + 1 - size, the size (`pyramidSizes`) being ⌊share × n⌋ or one more as it
   * rounds, both sent (the float8 product is the one JavaScript computes).
   */
  private async cutPoints(runner: QueryRunner, now: Date): Promise<RfmCutPoints | undefined> {
    const rows: { dimension: string; nth: string; value: string | null }[] = await runner.query(
      `with population as materialized (${activity(everyGuest)}),
       size as (select count(*) as n from population),
       quintile as (select (q * n + 4) / 5 as nth from size, generate_series(1, 4) q),
       pyramid as (
         select n + 1 - floor(share * n::float8)::bigint - d as nth
         from size, unnest($1::float8[]) share, generate_series(0, 1) d)
       select 'guests' as dimension, n as nth, null::text as value from size
       union all
       select 'recency', nth, last_departure::text from (
         select last_departure, row_number() over (order by last_departure) as nth from population) r
       where nth in (select nth from quintile)
       union all
       select 'stays', nth, stays::text from (
         select stays, row_number() over (order by stays) as nth from population) r
       where nth in (select nth from quintile)
       union all
       select 'revenue', nth, revenue::text from (
         select revenue, row_number() over (order by revenue) as nth from population) r
       where nth in (select nth from quintile union select nth from pyramid)`,
      [cumulativeShares()],
    );
    const n = Number(rows.find((row) => row.dimension === 'guests')?.nth ?? 0);
    if (n === 0) return undefined;
    const values = new Map(rows.map((row) => [`${row.dimension}:${row.nth}`, row.value]));
    return rfmCutPoints(n, (dimension, position) => {
      const value = values.get(`${dimension}:${position}`);
      if (value == null) throw new Error(`RFM recompute: no ${dimension} value at rank ${position} of ${n}`);
      // The oldest departure is the longest recency: departures ascending are recencies worst first.
      return dimension === 'recency' ? recencyDays(now, value) : Number(value);
    });
  }

  /** Scores the guests after `after` up to `through`, writing those whose scores change; in a transaction. */
  private async recomputeChunk(
    runner: QueryRunner,
    after: string | null,
    through: string | null,
    cut: RfmCutPoints | undefined,
    now: Date,
  ): Promise<{ guests: number; changed: number }> {
    const scores = cut ? await this.scoreChunk(runner, after, through, cut, now) : [];
    // Locked in id order first, as every writer of guest rows locks them: a stay batch holding some of
    // these rows then waits for the chunk (or it for the batch), and neither is rolled back by a deadlock.
    // Only the rows to write: scored with other scores or segment than they hold, or scored earlier but not
    // now (profiling withdrawn since, merged away, erased), whose old scores are cleared. No key update: the
    // segment columns are no key, so the facts and complaints that key-share a guest row while they find
    // its survivor do not wait for the chunk.
    const locked: { id: string; clear: boolean }[] = await runner.query(
      `select g.id, s.id is null as clear from guests g
       left join unnest($3::uuid[], $4::int[], $5::int[], $6::int[], $7::text[]) as s(id, r, f, m, seg)
         on s.id = g.id
       where ${inChunk('g.id')}
         and case when s.id is null then g.segment is not null or g.rfm_recency is not null
             else (g.rfm_recency, g.rfm_frequency, g.rfm_monetary, g.segment) is distinct from (s.r, s.f, s.m, s.seg)
             end
       order by g.id for no key update of g`,
      [after, through, ...scoreColumns(scores)],
    );
    const cleared = locked.filter((row) => row.clear).map((row) => row.id);
    const rescored = new Set(locked.filter((row) => !row.clear).map((row) => row.id));
    let changed = 0;
    if (cleared.length)
      changed += await updated(
        runner,
        `update guests set rfm_recency = null, rfm_frequency = null, rfm_monetary = null, segment = null,
           updated_at = now()
         where id = any($3::uuid[]) and ${inChunk('id')}`,
        [after, through, cleared],
      );
    // Read again under the locks: a withdrawal, an erasure or a merge that committed after the scores were
    // computed (its writer held the guest row, which the lock above waited for) keeps the guest unscored.
    if (rescored.size)
      changed += await updated(
        runner,
        // The chunk's range besides the ids: the planner, which cannot tell how many ids there are, would
        // otherwise hash the whole guests table (and read every consent) for each chunk.
        `update guests g set rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m, segment = s.seg,
           updated_at = now()
         from unnest($3::uuid[], $4::int[], $5::int[], $6::int[], $7::text[]) as s(id, r, f, m, seg)
         where g.id = s.id and ${inChunk('g.id')} and g.status = 'active'
           and g.id not in (${profilingWithdrawn(inChunk)})
           and (g.rfm_recency, g.rfm_frequency, g.rfm_monetary, g.segment) is distinct from (s.r, s.f, s.m, s.seg)`,
        [after, through, ...scoreColumns(scores.filter((score) => rescored.has(score.guestId)))],
      );
    return { guests: scores.length, changed };
  }

  /** The chunk's guests that are scored, against the population's cut points. */
  private async scoreChunk(
    runner: QueryRunner,
    after: string | null,
    through: string | null,
    cut: RfmCutPoints,
    now: Date,
  ): Promise<RfmScore[]> {
    const rows: { guest_id: string; last_departure: string; stays: string; revenue: string }[] =
      await runner.query(
        `select guest_id, last_departure::text, stays, revenue from (${activity(inChunk)}) chunk`,
        [after, through],
      );
    return rows.map((r) =>
      scoreAgainst(cut, {
        guestId: r.guest_id,
        recencyDays: recencyDays(now, r.last_departure),
        stays: Number(r.stays),
        revenueMinor: Number(r.revenue),
      }),
    );
  }
}

/** The scores as the columns `unnest` takes: ids, recency, frequency, monetary, segment. */
function scoreColumns(scores: RfmScore[]): [string[], number[], number[], number[], string[]] {
  return [
    scores.map((s) => s.guestId),
    scores.map((s) => s.recency),
    scores.map((s) => s.frequency),
    scores.map((s) => s.monetary),
    scores.map((s) => s.segment),
  ];
}

/** Runs an update; returns the rows it changed. */
async function updated(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<number> {
  return (await runner.query(sql, parameters, true)).affected ?? 0;
}

async function inTransaction<T>(runner: QueryRunner, work: () => Promise<T>): Promise<T> {
  await runner.startTransaction();
  try {
    const result = await work();
    await runner.commitTransaction();
    return result;
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
}
