import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';
import { SURVEYS_MIGRATIONS } from '../src/app.module';
import { PROPERTIES_INVITATION_PAGE_SQL } from '../src/invitations/invitation-list';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The indexes a plan reads, each as `<scan> on <index>`. */
const scansOf = (node: PlanNode): string[] => [
  ...(node['Index Name'] ? [`${node['Node Type']} on ${node['Index Name']}`] : []),
  ...(node.Plans ?? []).flatMap(scansOf),
];

/** A page of some properties' invitations, as a property manager reads it, from an index in its order. */
describe('invitations listed by property (migration 1760000005300)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('surveys_listed_by_property');
    // The suite's database answers `query` as a query runner does, which is all the migrations use.
    for (const migration of SURVEYS_MIGRATIONS) await new migration().up(db as unknown as QueryRunner);
    // Twenty properties' invitations in every state, so the planner weighs the indexes by what they hold.
    await db.query(
      `insert into invitations (survey_id, stay_id, property_id, reservation_id, arrival, departure, due_at,
                                state, invited_at)
       select gen_random_uuid(), gen_random_uuid(), 'P' || n % 20, 'R-' || n, '2026-01-01', '2026-01-03',
              timestamptz '2026-01-04' + n * interval '1 minute',
              (array['scheduled', 'sent', 'skipped', 'answered'])[n / 20 % 4 + 1],
              case when n / 20 % 2 = 1 then timestamptz '2026-01-04 10:00' + n * interval '1 minute' end
       from generate_series(1, 20000) as n`,
    );
    await db.query('vacuum analyze invitations');
  });

  afterAll(() => db?.drop());

  const pages = [
    ['the first page', null, null],
    ['a page after a cursor', '2026-01-10T12:00:00.000000Z', randomUUID()],
  ] as const;

  describe.each([
    ['one property', ['P1']],
    ['several properties', ['P1', 'P2', 'P3']],
  ])('of %s', (_, properties) => {
    it.each(pages)('should read %s from invitations_listed_by_property', async (_, sortedAt, surveyId) => {
      for (const state of ['scheduled', 'sent', 'skipped', 'answered'])
        expect(
          (
            await db.planOf(PROPERTIES_INVITATION_PAGE_SQL, [state, sortedAt, surveyId, 51, properties])
          ).indexes.sort(),
        ).toEqual(['invitations_listed_by_property', 'invitations_pkey']);
    });
  });

  // Read from the table, each property's page would cost a row read per invitation, not only per one listed.
  it("should read each property's page from the index alone, and the table for the invitations listed", async () => {
    const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `explain (format json) ${PROPERTIES_INVITATION_PAGE_SQL}`,
      ['sent', null, null, 51, ['P1', 'P2', 'P3']],
    );
    expect(scansOf(row['QUERY PLAN'][0].Plan)).toEqual([
      'Index Only Scan on invitations_listed_by_property',
      'Index Scan on invitations_pkey',
    ]);
  });
});
