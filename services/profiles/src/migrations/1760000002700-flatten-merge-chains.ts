import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merges now point every id merged earlier into the merged guest at the survivor, so one step leads from
 * any id to the profile it stands for. Chains left by earlier merges are flattened the same way.
 */
export class FlattenMergeChains1760000002700 implements MigrationInterface {
  name = 'FlattenMergeChains1760000002700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `with recursive chain (id, at) as (
         select id, merged_into from guests where merged_into is not null
         union
         select c.id, g.merged_into from chain c join guests g on g.id = c.at where g.merged_into is not null),
       final (id, survivor) as (
         select c.id, c.at from chain c join guests g on g.id = c.at where g.merged_into is null)
       update guests g set merged_into = f.survivor from final f
       where g.id = f.id and g.merged_into <> f.survivor`,
    );
  }

  // Nothing to undo: a flat chain is also what the earlier code, which walked chains, reads correctly.
  async down(): Promise<void> {}
}
