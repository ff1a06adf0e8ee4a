import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertPropertyInScope, type Principal } from '@loyalty/auth';
import { AccessLog } from '../privacy/access-log';
import { PersonalDataRepository } from '../privacy/personal-data.repository';

/** The front desk's brief for a day: who arrives, what they prefer, and what to be careful about. */
@Injectable()
export class ArrivalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personalData: PersonalDataRepository,
    private readonly accessLog: AccessLog,
  ) {}

  async brief(principal: Principal, propertyId: string, date: string, reason: string) {
    assertPropertyInScope(principal, propertyId);
    const manager = this.dataSource.manager;
    const rows: {
      guest_id: string;
      reservation_id: string;
      departure: string;
      room_type: string;
      tier: string | null;
      last_survey_score: number | null;
      status: string;
      preferences: { group: string; value: string }[] | null;
      open_complaints: string;
    }[] = await manager.query(
      `select r.guest_id, r.reservation_id, r.departure::text, r.room_type, f.tier, f.last_survey_score, g.status,
              (select json_agg(json_build_object('group', p.grp, 'value', p.value) order by p.grp, p.value)
                 from guest_preferences p where p.guest_id = r.guest_id) as preferences,
              (select count(*) from open_complaints c where c.guest_id = r.guest_id and c.closed_at is null) as open_complaints
       from reservations r join guests g on g.id = r.guest_id left join guest_facts f on f.guest_id = g.id
       where r.property_id = $1 and r.arrival = $2 and not r.cancelled
       order by r.reservation_id`,
      [propertyId, date],
    );
    const personal = await this.personalData.readMany(
      manager,
      rows.map((r) => r.guest_id),
    );
    await this.accessLog.record(
      manager,
      principal,
      rows.map((r) => r.guest_id),
      `arrivals-brief:${propertyId}`,
      reason,
    );
    return {
      propertyId,
      date,
      arrivals: rows.map((r) => ({
        guestId: r.guest_id,
        reservationId: r.reservation_id,
        departure: r.departure,
        roomType: r.room_type,
        givenName: personal.get(r.guest_id)?.givenName?.value ?? null,
        familyName: personal.get(r.guest_id)?.familyName?.value ?? null,
        tier: r.tier,
        preferences: r.preferences ?? [],
        openComplaints: Number(r.open_complaints),
        lastSurveyScore: r.last_survey_score,
      })),
    };
  }
}
