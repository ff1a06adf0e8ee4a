import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SYSTEM_ACTOR } from '../complaints/complaint-record';
import { AUDIT_VIEW } from './audit-view';

/**
 * Moves each duplicate to the root of its chain, the first complaint along `duplicate_of` that is not itself
 * a duplicate, with the audit line a marking writes now, by the service. Before duplicates moved with their
 * original, marking an original a duplicate left its duplicates waiting on a final complaint nobody answers.
 * A cycle has no root: its duplicates are left as they are.
 */
export class DuplicatesOfStandingOriginals1760000005100 implements MigrationInterface {
  name = 'DuplicatesOfStandingOriginals1760000005100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `with recursive chains (id, original, visited) as (
         select id, duplicate_of, array[id] from complaints where duplicate_of is not null
         union all
         select chains.id, o.duplicate_of, chains.visited || o.id
         from chains join complaints o on o.id = chains.original
         where o.status = 'duplicate' and o.duplicate_of is not null and o.id <> all (chains.visited)
       ),
       roots (id, root) as (
         select chains.id, chains.original
         from chains join complaints o on o.id = chains.original
         where o.status <> 'duplicate'
       ),
       moves as (
         select c.id, roots.root, ${AUDIT_VIEW} as before
         from complaints c join roots on roots.id = c.id
         where c.duplicate_of <> roots.root
       ),
       moved as (
         update complaints c set duplicate_of = moves.root from moves where c.id = moves.id returning c.id
       )
       insert into complaint_audit (complaint_id, at, actor, actor_roles, action, before, after)
       select moves.id, now(), $1, $2, 'original-marked-duplicate', moves.before,
         moves.before || jsonb_build_object('duplicateOf', moves.root)
       from moves join moved on moved.id = moves.id`,
      [SYSTEM_ACTOR.id, SYSTEM_ACTOR.roles],
    );
  }

  // A repair: the chains it undid were wrong, and the audit trail it wrote is append-only.
  async down(): Promise<void> {}
}
