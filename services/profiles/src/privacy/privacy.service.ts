import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '@loyalty/auth';
import type { ERASURE_REASONS } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { ProfileCache } from '../guests/profile-cache';
import { ProfileReader } from '../guests/profile.reader';
import { ProfilesException } from '../identity/merge.exception';
import { AccessLog } from './access-log';
import { PersonalDataRepository } from './personal-data.repository';

/** The guest's rights: a copy of everything held (export) and erasure (crypto-shredding). */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: ProfileReader,
    private readonly personalData: PersonalDataRepository,
    private readonly accessLog: AccessLog,
    private readonly cache: ProfileCache,
    private readonly events: EventPublisher,
  ) {}

  async export(principal: Principal, guestId: string, reason: string) {
    const manager = this.dataSource.manager;
    await this.reader.assertInScope(manager, principal, guestId);
    const profile = await this.reader.load(manager, guestId);
    if (!profile) throw new ProfilesException('GUEST_NOT_FOUND', `no guest ${guestId}`);
    // A merge moves the guest's data to the survivor, but the decisions and reads logged of a merged-away
    // profile stay under its id: they are the guest's too. Every such id names its final survivor.
    const mergedIn: { id: string }[] = await manager.query('select id from guests where merged_into = $1', [
      guestId,
    ]);
    const everyId = [guestId, ...mergedIn.map((row) => row.id)];
    const [stays, stayAdjustments, reservations, complaints, consentHistory, matchDecisions, accessLog] =
      await Promise.all([
        manager.query(
          `select id, property_id, reservation_id, arrival::text, departure::text, nights,
                  property_revenue_minor, property_currency, program_revenue_minor, recorded_at
           from stays where guest_id = $1 order by arrival`,
          [guestId],
        ),
        // Corrections of the guest's stays; one still waiting for its stay belongs to no guest yet.
        manager.query(
          `select a.adjustment_key, a.property_id, a.reservation_id, a.program_revenue_delta_minor, a.nights,
                  a.adjusted_at, a.applied_at
           from stay_adjustments a
           join stays s on s.property_id = a.property_id and s.reservation_id = a.reservation_id
           where s.guest_id = $1 order by a.adjusted_at, a.adjustment_key`,
          [guestId],
        ),
        manager.query(
          'select property_id, reservation_id, arrival::text, departure::text, room_type, cancelled from reservations where guest_id = $1',
          [guestId],
        ),
        // Closed complaints too: the table keeps them with `closed_at` set.
        manager.query(
          `select complaint_id, property_id, severity, category, opened_at, closed_at, reopened_at
           from open_complaints where guest_id = $1 order by opened_at, complaint_id`,
          [guestId],
        ),
        manager.query(
          `select purpose, channel, granted, source, captured_via, recorded_at from guest_consents
           where guest_id = $1 order by id`,
          [guestId],
        ),
        // A decision about a pair is filed under one of its guests; the other's id is not shown.
        manager.query(
          `select outcome, rule, score, decided_at from match_decisions
           where guest_id = any($1::uuid[]) or candidate_id = any($1::uuid[]) order by id`,
          [everyId],
        ),
        manager.query(
          'select actor, action, reason, accessed_at from access_log where guest_id = any($1::uuid[]) order by id',
          [everyId],
        ),
      ]);
    await this.accessLog.record(manager, principal, [guestId], 'export', reason);
    return {
      exportedAt: new Date().toISOString(),
      profile,
      stays,
      stayAdjustments,
      reservations,
      complaints,
      consentHistory,
      matchDecisions,
      accessLog,
    };
  }

  /**
   * Erases the guest's personal data: the data key is destroyed (every ciphertext in the database becomes
   * unreadable; a backup taken before holds the wrapped key too, see the README), identity indexes and sensitive preferences are deleted, the profile is
   * blocked from merging, and `guest-erased` tells every service to pseudonymise. Stays remain under
   * the opaque id.
   */
  async erase(
    principal: Principal,
    guestId: string,
    reason: (typeof ERASURE_REASONS)[number],
  ): Promise<{ guestId: string; erasedAt: string }> {
    const erasedAt = new Date().toISOString();
    const evicted = [guestId];
    await this.dataSource.transaction(async (manager) => {
      const [guest]: { status: string }[] = await manager.query(
        'select status from guests where id = $1 for update',
        [guestId],
      );
      await this.reader.assertInScope(manager, principal, guestId);
      if (!guest) throw new ProfilesException('GUEST_NOT_FOUND', `no guest ${guestId}`);
      if (guest.status === 'erased')
        throw new ProfilesException('GUEST_ERASED', `guest ${guestId} was already erased`);
      if (guest.status === 'merged')
        throw new ProfilesException(
          'GUEST_ALREADY_MERGED',
          `guest ${guestId} was merged; erase the survivor`,
        );
      await this.personalData.shred(manager, guestId);
      for (const statement of [
        'delete from guest_identities where guest_id = $1',
        'delete from guest_preferences where guest_id = $1',
        'delete from guest_consents where guest_id = $1',
        `delete from match_suggestions where status = 'open' and (guest_a = $1 or guest_b = $1)`,
        // The RFM scores and segment profile the guest too: they go with the rest.
        `update guests set status = 'erased', erased_at = now(), loyalty_number = null, country_code = null,
           preferred_language = null, rfm_recency = null, rfm_frequency = null, rfm_monetary = null,
           segment = null, updated_at = now() where id = $1`,
      ]) {
        await manager.query(statement, [guestId]);
      }
      // Profiles merged into this guest (directly or through others: each names its final survivor) are
      // the same person; rows merged before merging cleared them still hold their personal fields, and
      // any merged away keeps the scores it had until the next recompute.
      const mergedAway: { id: string }[] = await manager.query(
        `update guests set loyalty_number = null, country_code = null, preferred_language = null,
           rfm_recency = null, rfm_frequency = null, rfm_monetary = null, segment = null, updated_at = now()
         where merged_into = $1 returning id`,
        [guestId],
      );
      evicted.push(...mergedAway.map((row) => row.id));
      await this.events.publish(manager, 'guest-erased', { guestId, erasedAt, reason }, { subject: guestId });
    });
    await this.cache.evict(...evicted);
    return { guestId, erasedAt };
  }
}
