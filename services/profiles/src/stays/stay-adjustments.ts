import type { EntityManager } from 'typeorm';

/** A `stay-adjusted` as profiles keeps it: the revenue change already in the programme currency. */
export interface StayAdjustmentToKeep {
  adjustmentKey: string;
  propertyId: string;
  reservationId: string;
  programRevenueDeltaMinor: number;
  nights?: number;
  adjustedAt: string;
}

/**
 * Keeps the adjustments not kept before, applied or not: the adjustment key is the primary key, so a
 * redelivery or a re-publish of an adjustment is kept, and so applied, once.
 */
export async function keepAdjustments(
  manager: EntityManager,
  adjustments: readonly StayAdjustmentToKeep[],
): Promise<void> {
  await manager.query(
    `insert into stay_adjustments
       (adjustment_key, property_id, reservation_id, program_revenue_delta_minor, nights, adjusted_at)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::timestamptz[])
     on conflict (adjustment_key) do nothing`,
    [
      adjustments.map((a) => a.adjustmentKey),
      adjustments.map((a) => a.propertyId),
      adjustments.map((a) => a.reservationId),
      adjustments.map((a) => a.programRevenueDeltaMinor),
      adjustments.map((a) => a.nights ?? null),
      adjustments.map((a) => a.adjustedAt),
    ],
  );
}

/**
 * Applies the adjustments not yet applied whose stays are recorded (of these stays, or of every stay), in
 * one statement; returns the guests whose stays changed. Revenue is the recorded revenue plus every
 * adjustment applied, never below zero, whatever order they came in. Nights are absolute: the latest
 * posted wins (\`postedAfter\`), so an older correction arriving late changes nothing.
 */
export async function applyPendingAdjustments(
  manager: EntityManager,
  stays?: readonly { propertyId: string; reservationId: string }[],
): Promise<string[]> {
  if (stays?.length === 0) return [];
  // Ends in a select, not the update: TypeORM answers an update with its row count beside the rows.
  const rows: { guest_id: string }[] = await manager.query(
    `with applied as (
       update stay_adjustments a set applied_at = now()
       from stays s
       where a.applied_at is null
         and ($1::text[] is null
              or (a.property_id, a.reservation_id) in (select * from unnest($1::text[], $2::text[])))
         and s.property_id = a.property_id and s.reservation_id = a.reservation_id
       returning a.*),
     per_stay as (
       select property_id, reservation_id, sum(program_revenue_delta_minor) as delta,
              bool_or(nights is not null) as posts_nights
       from applied group by property_id, reservation_id),
     adjusted as (
       update stays s set
         recorded_program_revenue_minor = coalesce(s.recorded_program_revenue_minor, s.program_revenue_minor),
         program_revenue_adjustment_minor = s.program_revenue_adjustment_minor + p.delta,
         program_revenue_minor = greatest(0, coalesce(s.recorded_program_revenue_minor, s.program_revenue_minor)
                                             + s.program_revenue_adjustment_minor + p.delta),
         nights = case when p.posts_nights then latest.nights else s.nights end,
         nights_adjusted_at = case when p.posts_nights then latest.adjusted_at else s.nights_adjusted_at end
       from per_stay p
       -- The latest posted of every posting the stay has had, these and those applied before (kept, and
       -- read here as the statement began): ordered as \`postedAfter\` orders them, by instant, then key in
       -- byte order, so the nights do not depend on which came first or in which batch.
       left join lateral (
         select x.nights, x.adjusted_at from stay_adjustments x
         where x.property_id = p.property_id and x.reservation_id = p.reservation_id and x.nights is not null
         order by x.adjusted_at desc, x.adjustment_key collate "C" desc limit 1) latest on true
       where s.property_id = p.property_id and s.reservation_id = p.reservation_id
       returning s.guest_id)
     select distinct guest_id from adjusted`,
    [stays?.map((s) => s.propertyId) ?? null, stays?.map((s) => s.reservationId) ?? null],
  );
  return rows.map((r) => r.guest_id);
}

/** The adjustments still waiting for their stay: how many, and how long the oldest has waited since it came. */
export async function waitingAdjustments(
  manager: EntityManager,
): Promise<{ count: number; oldestWaitSeconds: number }> {
  const [row]: { count: number; oldest_wait_seconds: number }[] = await manager.query(
    `select count(*)::int as count,
            coalesce(extract(epoch from now() - min(received_at)), 0)::float as oldest_wait_seconds
     from stay_adjustments where applied_at is null`,
  );
  return { count: row.count, oldestWaitSeconds: row.oldest_wait_seconds };
}
