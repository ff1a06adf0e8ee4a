import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves each duplicate to the root of its chain, the first complaint along `duplicate_of` that is not itself
 * a duplicate, with the audit line a marking writes now, by the service. Before duplicates moved with their
 * original, marking an original a duplicate left its duplicates waiting on a final complaint nobody answers.
 * A cycle has no root: its duplicates are left as they are.
 *
 * Frozen as it shipped: the actor and the audit lines' columns are spelled out here, not taken from the
 * service, whose audit view gains a field with every column added later, which an old database migrating
 * through this one does not have yet.
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
      [SERVICE_ACTOR.id, SERVICE_ACTOR.roles],
    );
  }

  // A repair: the chains it undid were wrong, and the audit trail it wrote is append-only.
  async down(): Promise<void> {}
}

/** Who the audit lines name: the service itself. */
const SERVICE_ACTOR = { id: 'complaints', roles: ['service'] };

/** A timestamp in the audit trail as the service writes one: `JSON.stringify` of a `Date`, in UTC. */
const auditInstant = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The complaint `c` as its audit lines kept it then: every field but the free text. 1760000005200 holds the
 * same SQL, on purpose: each migration keeps the columns of its time.
 */
const AUDIT_VIEW = `jsonb_build_object(
  'id', c.id, 'guestId', c.guest_id, 'propertyId', c.property_id, 'stay', c.stay,
  'reservationId', c.reservation_id, 'channel', c.channel, 'category', c.category, 'aspect', c.aspect,
  'severity', c.severity, 'status', c.status, 'ownerId', c.owner_id, 'ownerRole', c.owner_role,
  'escalationLevel', c.escalation_level, 'policyId', c.policy_id, 'surveyId', c.survey_id,
  'openedAt', ${auditInstant('c.opened_at')}, 'acknowledgedAt', ${auditInstant('c.acknowledged_at')},
  'resolvedAt', ${auditInstant('c.resolved_at')}, 'closedAt', ${auditInstant('c.closed_at')},
  'resolution', c.resolution, 'satisfaction', c.satisfaction, 'duplicateOf', c.duplicate_of)`;
