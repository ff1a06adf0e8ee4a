import type { EntityManager } from 'typeorm';
import { lockKeysUntilCommit } from '@loyalty/persistence';

const DAY_MS = 24 * 3_600_000;

/**
 * The points (either sign) one staff member adjusted or transferred by hand in the 24 hours before `now`.
 * Locks the staff member until the transaction ends first: two of their requests on different accounts
 * would otherwise each count the day without the other, and together pass the limit. Entries an event
 * made (compensation, which complaints limits) carry their source event and do not count; of a transfer,
 * the sending side counts once.
 */
export async function staffPointsInLastDay(
  manager: EntityManager,
  staffId: string,
  now: Date,
): Promise<number> {
  await lockKeysUntilCommit(manager, [`ledger-staff:${staffId}`]);
  const [row]: { used: string }[] = await manager.query(
    `select coalesce(sum(abs(points)), 0) as used
     from ledger_entries
     where staff_id = $1 and occurred_at > $2 and source_event_id is null
       and (cause_kind = 'staff-adjustment' or (cause_kind = 'transfer' and points < 0))`,
    [staffId, new Date(now.getTime() - DAY_MS)],
  );
  return Number(row.used);
}
