import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Until stays skipped as they are recorded were written as a merge or erasure of their guest leaves them,
 * they were written under the stay's own guest id, also when that id had been merged away or erased (staff
 * saw an erased guest's id in the invitation list); no sender decides a skipped invitation again, so nothing
 * moved them. Each is moved now to where a stay skipped today goes: the final survivor of its id's chain of
 * merges (the id itself when the chain never ends: a cycle, or a link to a guest not kept), no guest once
 * that guest was erased. Other states are left: a scheduled invitation is decided by the sender when due,
 * a sent or answered one was written under the guest it was decided for.
 *
 * Frozen: plain SQL, none of the service's code, which changes with later migrations.
 *
 * Locks: no table lock beyond what any write takes, so pods of the previous version keep recording, sending
 * and listing while it runs. Row locks only on the invitations it moves, until it commits, which only a
 * merge or erasure of their guests (or their stays recorded again) waits for. The first statement takes
 * them, in survey id order as merges and erasures lock invitations; the second moves them, reading the
 * merges as they stand once any merge or erasure that held one of them has committed (the first
 * statement's snapshot may not show it). Each scans the skipped invitations of the guests merged away or
 * erased once: on a large table that takes a while, and holds nothing but the few rows moved. A pod of the
 * previous version can still write such a row until it stops, also while this runs: it is left where it is
 * (running these statements again moves it).
 */
export class SkippedInvitationsUnderSurvivors1760000004500 implements MigrationInterface {
  name = 'SkippedInvitationsUnderSurvivors1760000004500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const locked: { survey_id: string }[] = await queryRunner.query(
      `with recursive ${MOVED} select i.survey_id from invitations i join moved m on i.guest_id = m.guest_id
       where i.state = 'skipped' order by i.survey_id for update of i`,
    );
    if (locked.length === 0) return;
    // Only the rows locked above: one a pod of the previous version wrote since would be locked out of
    // survey id order, and could deadlock with a merge that holds it and waits for one locked above.
    await queryRunner.query(
      `with recursive ${MOVED} update invitations i set guest_id = m.moved_to from moved m
       where i.guest_id = m.guest_id and i.state = 'skipped' and i.survey_id = any($1::uuid[])`,
      [locked.map((row) => row.survey_id)],
    );
  }

  async down(): Promise<void> {
    // The ids the invitations were written under are not kept: they stay where they were moved.
  }
}

/**
 * Each guest id a skipped invitation is under that no longer stands for itself (`guest_id`), and where its
 * invitations go (`moved_to`, null when the guest it stands for was erased). `chain` follows every such id
 * along its merges; `union` drops a row already seen, so a cycle of merges ends.
 */
const MOVED = `
  chain (asked, guest_id, merged_into, erased_at) as (
    select g.guest_id, g.guest_id, g.merged_into, g.erased_at from survey_guests g
    where (g.merged_into is not null or g.erased_at is not null)
      and exists (select 1 from invitations i where i.guest_id = g.guest_id and i.state = 'skipped')
    union
    select c.asked, g.guest_id, g.merged_into, g.erased_at
    from chain c join survey_guests g on g.guest_id = c.merged_into),
  standing_for (guest_id, survivor_id, erased) as (
    select own.asked, coalesce(last.guest_id, own.asked),
           case when last.guest_id is null then own.erased_at is not null else last.erased_at is not null end
    from chain own left join chain last on last.asked = own.asked and last.merged_into is null
    where own.guest_id = own.asked),
  moved (guest_id, moved_to) as (
    select guest_id, case when erased then null else survivor_id end from standing_for
    where erased or survivor_id <> guest_id)`;
