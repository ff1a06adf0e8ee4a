import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StayCredit } from './flat-earning';

/** Persistence of stay credits and balances, in the caller's transaction. */
@Injectable()
export class StayCreditsRepository {
  /**
   * Credits the stays not credited before (one row per stay id, whatever arrives twice) and returns
   * them with the guests' balances after the whole batch.
   */
  async credit(
    manager: EntityManager,
    credits: StayCredit[],
  ): Promise<{ credited: StayCredit[]; balances: Map<string, number> }> {
    const inserted: { stay_id: string; guest_id: string; points: number }[] = await manager.query(
      `insert into stay_credits (stay_id, guest_id, points)
       select * from unnest($1::uuid[], $2::uuid[], $3::int[])
       on conflict (stay_id) do nothing
       returning stay_id, guest_id, points`,
      [credits.map((c) => c.stayId), credits.map((c) => c.guestId), credits.map((c) => c.points)],
    );
    if (inserted.length === 0) return { credited: [], balances: new Map() };
    const creditedIds = new Set(inserted.map((row) => row.stay_id));
    const credited = credits.filter((c) => creditedIds.has(c.stayId));
    const totals = new Map<string, number>();
    for (const c of credited) totals.set(c.guestId, (totals.get(c.guestId) ?? 0) + c.points);
    const balances: { guest_id: string; balance: number }[] = await manager.query(
      `insert into accounts (guest_id, balance)
       select * from unnest($1::uuid[], $2::int[])
       on conflict (guest_id) do update set balance = accounts.balance + excluded.balance
       returning guest_id, balance`,
      [[...totals.keys()], [...totals.values()]],
    );
    return { credited, balances: new Map(balances.map((row) => [row.guest_id, Number(row.balance)])) };
  }

  async balance(manager: EntityManager, guestId: string): Promise<number | undefined> {
    const rows: { balance: number }[] = await manager.query(
      'select balance from accounts where guest_id = $1',
      [guestId],
    );
    return rows[0]?.balance;
  }
}
