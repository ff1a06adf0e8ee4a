import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProfilesConfig } from '../config/profiles.config';
import { learnPreferences, parseRoomTypeTraits, type RoomTypeTraits } from '../domain/learned-preferences';

/**
 * Keeps each guest's learned preferences in step with their recent stays, in the caller's transaction.
 * A group the guest (or staff for them) stated is never touched: what a guest says beats what we infer.
 */
@Injectable()
export class PreferenceLearner {
  private readonly traits: RoomTypeTraits;

  constructor(config: ProfilesConfig) {
    this.traits = parseRoomTypeTraits(config.PROFILES_ROOM_TYPE_TRAITS);
  }

  async learnFor(manager: EntityManager, guestIds: readonly string[], observedAt: Date): Promise<void> {
    if (!guestIds.length) return;
    const rows: { guest_id: string; room_types: string[]; stated: string[] }[] = await manager.query(
      `select g as guest_id,
              array(select room_type from stays where guest_id = g and room_type is not null
                    order by departure desc limit 5) as room_types,
              array(select distinct grp from guest_preferences where guest_id = g and source <> 'learned') as stated
       from unnest($1::uuid[]) as g`,
      [[...new Set(guestIds)]],
    );
    const learned = rows.flatMap((row) =>
      learnPreferences(row.room_types, this.traits)
        .filter((preference) => !row.stated.includes(preference.group))
        .map((preference) => ({ guestId: row.guest_id, ...preference })),
    );
    await manager.query(
      `delete from guest_preferences where guest_id = any($1::uuid[]) and source = 'learned'`,
      [rows.map((row) => row.guest_id)],
    );
    if (!learned.length) return;
    await manager.query(
      `insert into guest_preferences (guest_id, grp, value, source, recorded_at)
       select guest_id, grp, value, 'learned', $4::timestamptz
       from unnest($1::uuid[], $2::text[], $3::text[]) as t (guest_id, grp, value)
       on conflict do nothing`,
      [learned.map((p) => p.guestId), learned.map((p) => p.group), learned.map((p) => p.value), observedAt],
    );
  }
}
