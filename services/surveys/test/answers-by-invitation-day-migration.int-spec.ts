import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';
import { SURVEYS_MIGRATIONS } from '../src/app.module';
import { AnswersByInvitationDay1760000004800 } from '../src/migrations/1760000004800-answers-by-invitation-day';

describe('surveys migration 1760000004800, answers by the day of their invitation (real Postgres)', () => {
  let db: TestDatabase;
  // The suite's database answers `query` as a query runner does, which is all the migrations use.
  const runner = () => db as unknown as QueryRunner;

  beforeAll(async () => {
    db = await createTestDatabase('surveys_answers_by_invitation_day');
    for (const earlier of SURVEYS_MIGRATIONS.slice(
      0,
      SURVEYS_MIGRATIONS.indexOf(AnswersByInvitationDay1760000004800),
    ))
      await new earlier().up(runner());
  });

  afterAll(() => db?.drop());

  /** An invitation sent at `invitedAt` and answered at `answeredAt`, as the previous version kept them. */
  const answered = async (propertyId: string, invitedAt: string, answeredAt: string) => {
    const surveyId = randomUUID();
    await db.query(
      `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                due_at, state, invited_at, expires_at, answered_at)
       values ($1, $2, $3, $4, $5, '2031-03-01', '2031-03-04', $6, 'answered', $6,
               $6::timestamptz + interval '14 days', $7)`,
      [surveyId, randomUUID(), randomUUID(), propertyId, `R-${surveyId.slice(0, 8)}`, invitedAt, answeredAt],
    );
    await db.query(
      `insert into answers (survey_id, property_id, local_day, nps, scores, completed_at)
       values ($1, $2, $3::timestamptz::date, 9, '{}', $3)`,
      [surveyId, propertyId, answeredAt],
    );
  };

  it('should count the answers there are on the local day their invitation was sent, in UTC for a zone Postgres does not know, when it runs', async () => {
    await db.query(
      `insert into survey_properties (property_id, time_zone) values ('AMS01', 'Europe/Amsterdam'), ('MARS01', 'Mars/Olympus')`,
    );
    // 23:30 UTC is the next day in Amsterdam; the sender counted the invitation there.
    await answered('AMS01', '2031-03-05T23:30:00Z', '2031-03-17T10:00:00Z');
    await answered('AMS01', '2031-03-05T23:40:00Z', '2031-03-06T08:00:00Z');
    await answered('MARS01', '2031-03-05T23:30:00Z', '2031-03-10T10:00:00Z');
    await db.query(
      `insert into survey_daily (property_id, day, invited, responses)
       values ('AMS01', '2031-03-06', 2, 1), ('AMS01', '2031-03-17', 0, 1)`,
    );

    await new AnswersByInvitationDay1760000004800().up(runner());

    expect(
      await db.query(
        `select property_id, to_char(day, 'YYYY-MM-DD') as day, invited, responses, invited_answered
         from survey_daily order by property_id, day`,
      ),
    ).toEqual([
      { property_id: 'AMS01', day: '2031-03-06', invited: 2, responses: 1, invited_answered: 2 },
      { property_id: 'AMS01', day: '2031-03-17', invited: 0, responses: 1, invited_answered: 0 },
      { property_id: 'MARS01', day: '2031-03-05', invited: 0, responses: 0, invited_answered: 1 },
    ]);
  });
});
