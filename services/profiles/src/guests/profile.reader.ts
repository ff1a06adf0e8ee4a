import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertGuestInScope, hasChainWideScope, type Principal } from '@loyalty/auth';
import { summariseStays, type StayHistory } from '../domain/stay-history';
import { PersonalDataRepository, type PersonalRecord } from '../privacy/personal-data.repository';

export interface ProfileView {
  guestId: string;
  /** Changes with every committed change of the profile; a cached view with another version is stale. */
  version: string;
  status: 'active' | 'merged' | 'erased';
  mergedInto: string | null;
  loyaltyNumber: string | null;
  countryCode: string | null;
  preferredLanguage: string | null;
  personal: PersonalRecord;
  preferences: { group: string; value: string; source: string; recordedAt: string }[];
  /** `source` is who recorded the consent (`staff:<id>`); `capturedVia` how, when staff said. */
  consents: {
    purpose: string;
    channel: string;
    granted: boolean;
    source: string;
    capturedVia: string | null;
    recordedAt: string;
  }[];
  history: StayHistory;
  tier: string | null;
  pointsBalance: number | null;
  lastSurveyScore: number | null;
  openComplaints: {
    complaintId: string;
    propertyId: string | null;
    severity: string | null;
    openedAt: string;
  }[];
  rfm: { recency: number; frequency: number; monetary: number; segment: string } | null;
  /** Properties the guest stayed at or booked: what a property-scoped token may see. */
  properties: string[];
}

interface GuestRow {
  id: string;
  status: ProfileView['status'];
  merged_into: string | null;
  loyalty_number: string | null;
  country_code: string | null;
  preferred_language: string | null;
  tier: string | null;
  points_balance: number | null;
  last_survey_score: number | null;
  rfm_recency: number | null;
  rfm_frequency: number | null;
  rfm_monetary: number | null;
  segment: string | null;
  version: string;
}

/**
 * A profile changes with its guest row or its facts row: both times, not the later one. A row's time is
 * when its transaction started, so a change committing after another that started later would leave the
 * later time the latest, and a view cached in between would look current.
 */
const VERSION = `g.updated_at::text || '/' || coalesce(f.updated_at::text, '-')`;

/** Assembles the single customer view of a guest from its tables. */
@Injectable()
export class ProfileReader {
  constructor(private readonly personalData: PersonalDataRepository) {}

  async load(manager: EntityManager, guestId: string): Promise<ProfileView | undefined> {
    const [guest]: GuestRow[] = await manager.query(
      `select g.*, f.tier, f.points_balance, f.last_survey_score, ${VERSION} as version
       from guests g left join guest_facts f on f.guest_id = g.id where g.id = $1`,
      [guestId],
    );
    if (!guest) return undefined;
    const [personal, stays, preferences, consents, complaints, properties] = await Promise.all([
      this.personalData.read(manager, guestId),
      manager.query(
        `select property_id, arrival::text, departure::text, nights, program_revenue_minor
         from stays where guest_id = $1`,
        [guestId],
      ) as Promise<
        {
          property_id: string;
          arrival: string;
          departure: string;
          nights: number;
          program_revenue_minor: string;
        }[]
      >,
      manager.query(
        'select grp, value, source, recorded_at from guest_preferences where guest_id = $1 order by grp, value',
        [guestId],
      ) as Promise<{ grp: string; value: string; source: string; recorded_at: Date }[]>,
      this.currentConsents(manager, guestId),
      manager.query(
        `select complaint_id, property_id, severity, opened_at from open_complaints
         where guest_id = $1 and closed_at is null order by opened_at`,
        [guestId],
      ) as Promise<
        { complaint_id: string; property_id: string | null; severity: string | null; opened_at: Date }[]
      >,
      this.properties(manager, guestId),
    ]);
    return {
      guestId,
      version: guest.version,
      status: guest.status,
      mergedInto: guest.merged_into,
      loyaltyNumber: guest.loyalty_number,
      countryCode: guest.country_code,
      preferredLanguage: guest.preferred_language,
      personal,
      preferences: preferences.map((p) => ({
        group: p.grp,
        value: p.value,
        source: p.source,
        recordedAt: p.recorded_at.toISOString(),
      })),
      consents,
      history: summariseStays(
        stays.map((s) => ({
          propertyId: s.property_id,
          arrival: s.arrival,
          departure: s.departure,
          nights: s.nights,
          programRevenueMinor: Number(s.program_revenue_minor),
        })),
      ),
      tier: guest.tier,
      pointsBalance: guest.points_balance,
      lastSurveyScore: guest.last_survey_score,
      openComplaints: complaints.map((c) => ({
        complaintId: c.complaint_id,
        propertyId: c.property_id,
        severity: c.severity,
        openedAt: c.opened_at.toISOString(),
      })),
      rfm:
        guest.segment && guest.rfm_recency !== null
          ? {
              recency: guest.rfm_recency,
              frequency: guest.rfm_frequency ?? 0,
              monetary: guest.rfm_monetary ?? 0,
              segment: guest.segment,
            }
          : null,
      properties,
    };
  }

  /** The profile's current version and wrapped data key; undefined when there is no such guest. */
  async cacheState(
    manager: EntityManager,
    guestId: string,
  ): Promise<{ version: string; wrappedKey: string | null } | undefined> {
    const [row]: { version: string; wrapped_key: string | null }[] = await manager.query(
      `select ${VERSION} as version, k.wrapped_key from guests g
       left join guest_facts f on f.guest_id = g.id left join guest_keys k on k.guest_id = g.id
       where g.id = $1`,
      [guestId],
    );
    return row && { version: row.version, wrappedKey: row.wrapped_key };
  }

  /**
   * @throws AuthException PROPERTY_OUT_OF_SCOPE unless the token may see the guest. Asked before anything
   * else of the id: a token scoped to properties learns nothing of an id outside them, not even whether a
   * guest has it, was erased or was merged. An unknown or merged-away id has no stay or booking (a merge
   * moves them), so it answers like a guest of other properties; an erased guest keeps its stays and
   * bookings, so only its own properties learn that it was erased.
   */
  async assertInScope(manager: EntityManager, principal: Principal, guestId: string): Promise<void> {
    if (hasChainWideScope(principal)) return;
    assertGuestInScope(principal, await this.properties(manager, guestId));
  }

  async properties(manager: EntityManager, guestId: string): Promise<string[]> {
    const rows: { property_id: string }[] = await manager.query(
      `select property_id from stays where guest_id = $1
       union select property_id from reservations where guest_id = $1`,
      [guestId],
    );
    return rows.map((r) => r.property_id).sort();
  }

  async currentConsents(manager: EntityManager, guestId: string): Promise<ProfileView['consents']> {
    const rows: {
      purpose: string;
      channel: string;
      granted: boolean;
      source: string;
      captured_via: string | null;
      recorded_at: Date;
    }[] = await manager.query(
      `select distinct on (purpose, channel) purpose, channel, granted, source, captured_via, recorded_at
       from guest_consents where guest_id = $1 order by purpose, channel, id desc`,
      [guestId],
    );
    return rows.map((r) => ({
      purpose: r.purpose,
      channel: r.channel,
      granted: r.granted,
      source: r.source,
      capturedVia: r.captured_via,
      recordedAt: r.recorded_at.toISOString(),
    }));
  }
}
