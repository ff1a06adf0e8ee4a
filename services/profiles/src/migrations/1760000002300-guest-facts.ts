import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What other services announce about a guest (points balance, tier, last survey score) moves off the
 * guest row into a row of its own. Recording a stay updates the guest row and holds its lock to the end
 * of the stay's transaction; with the facts on that row, every `points-earned` for a guest with a stay in
 * flight waited for it.
 */
export class GuestFacts1760000002300 implements MigrationInterface {
  name = 'GuestFacts1760000002300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `create table guest_facts (
         guest_id uuid primary key references guests (id),
         points_balance integer,
         points_as_of timestamptz,
         tier text,
         tier_as_of timestamptz,
         last_survey_score integer,
         last_survey_at timestamptz,
         updated_at timestamptz not null default now()
       )`,
      `insert into guest_facts (guest_id, points_balance, points_as_of, tier, tier_as_of, last_survey_score,
                                last_survey_at, updated_at)
       select id, points_balance, points_as_of, tier, tier_as_of, last_survey_score, last_survey_at, updated_at
       from guests
       where points_as_of is not null or tier is not null or last_survey_at is not null`,
      `alter table guests
         drop column points_balance, drop column points_as_of, drop column tier, drop column tier_as_of,
         drop column last_survey_score, drop column last_survey_at`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `alter table guests
         add column points_balance integer, add column points_as_of timestamptz, add column tier text,
         add column tier_as_of timestamptz, add column last_survey_score integer,
         add column last_survey_at timestamptz`,
      `update guests g set points_balance = f.points_balance, points_as_of = f.points_as_of, tier = f.tier,
         tier_as_of = f.tier_as_of, last_survey_score = f.last_survey_score, last_survey_at = f.last_survey_at,
         updated_at = greatest(g.updated_at, f.updated_at)
       from guest_facts f where f.guest_id = g.id`,
      `drop table guest_facts`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }
}
