import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What earlier code left on merged-away profiles, where no profile shows it: complaints and facts that
 * arrived while their guest was being merged, and the merged profile's last survey score, which merges did
 * not carry over. Each goes to the survivor by the rules a merge now follows: the survivor keeps its own
 * tier unless it has none, and the newer survey score wins. Points balances are left: the ledger announces
 * the survivor's.
 */
export class FactsLeftOnMergedProfiles1760000003000 implements MigrationInterface {
  name = 'FactsLeftOnMergedProfiles1760000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `update open_complaints c set guest_id = g.merged_into
       from guests g where g.id = c.guest_id and g.merged_into is not null`,
      `insert into guest_facts as f (guest_id, tier, tier_as_of)
       select distinct on (g.merged_into) g.merged_into, m.tier, m.tier_as_of
       from guest_facts m join guests g on g.id = m.guest_id
       where g.merged_into is not null and m.tier is not null
       order by g.merged_into, m.tier_as_of desc nulls last
       on conflict (guest_id) do update set tier = excluded.tier, tier_as_of = excluded.tier_as_of,
         updated_at = now()
       where f.tier is null`,
      `insert into guest_facts as f (guest_id, last_survey_score, last_survey_at)
       select distinct on (g.merged_into) g.merged_into, m.last_survey_score, m.last_survey_at
       from guest_facts m join guests g on g.id = m.guest_id
       where g.merged_into is not null and m.last_survey_at is not null
       order by g.merged_into, m.last_survey_at desc
       on conflict (guest_id) do update set last_survey_score = excluded.last_survey_score,
         last_survey_at = excluded.last_survey_at, updated_at = now()
       where f.last_survey_at is null or f.last_survey_at < excluded.last_survey_at`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  // Nothing to undo: the survivor shows what belonged to it, and the merged-away rows are not read.
  async down(): Promise<void> {}
}
