import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import { foldMergedGuest } from '../domain/guest-merge';
import { forgetStays } from './erased-stays';
import { GuestDirectory, storedGuests, type GuestRow, type StoredGuest } from './guest-directory';

/**
 * Merge and erasure. A merge moves the merged id's invitations and answers to the survivor and folds
 * what is known of the merged guest into it (`foldMergedGuest`: a refusal of surveys holds, as of the
 * later of the two consents, a channel either had counts, the more recent invitation bounds the recontact
 * window). Erasure keeps scores, anonymously: free text is deleted, the guest id is cut from answers and
 * invitations and the invitations from their stays (`forgetStays`, with `erasureKey`), pending invitations
 * are skipped and links already sent stop working. A guest merged into one already erased is erased with
 * them.
 */
export const GuestPrivacy = {
  async merge(manager: EntityManager, data: EventData<'guest-merged'>, erasureKey: string): Promise<void> {
    const { mergedId } = data;
    // The keys `GuestDirectory.remember` and a batch of skipped stays take shared, exclusive: news of either
    // id is handled wholly before or after this, and a stay skipped under either id recorded wholly before
    // (and its invitation moved below) or after (and written under the survivor, `skippedUnderUntilCommit`).
    await lockKeysUntilCommit(manager, [data.survivorId, mergedId]);
    // A row inserted here is not heard of: the sender keeps waiting for profiles' news of that id.
    await manager.query(
      `insert into survey_guests (guest_id) values ($1), ($2) on conflict (guest_id) do nothing`,
      [data.survivorId, mergedId],
    );
    // The survivor's row, so an erasure of it committing meanwhile is waited for and seen, and the rows of
    // every id merged into `mergedId`, which are pointed at the survivor, with their invitations first.
    const { survivorId, mergedIds, stored } = await lockWithMergedIds(manager, mergedId, data.survivorId);
    const survivor = stored.get(survivorId) as StoredGuest;
    await manager.query(`update survey_guests set merged_into = $1 where guest_id = $2 or merged_into = $2`, [
      survivorId,
      mergedId,
    ]);
    // The survivor was erased: the merged guest is the same person, so it is erased as well, not copied
    // onto the erased row.
    if (survivor.erasedAt) return forget(manager, mergedIds, survivor.erasedAt, erasureKey);
    const merged = foldMergedGuest(survivor, stored.get(mergedId) ?? {});
    await GuestDirectory.store(manager, new Map([[survivorId, merged]]));
    await manager.query(
      `with movable as (${INVITATIONS_NOT_HELD_ELSEWHERE})
       update invitations i set guest_id = $2 from movable where i.survey_id = movable.survey_id`,
      [[mergedId], survivorId],
    );
    await manager.query('update answers set guest_id = $1 where guest_id = $2', [survivorId, mergedId]);
  },

  async erase(manager: EntityManager, data: EventData<'guest-erased'>, erasureKey: string): Promise<void> {
    const { guestId, erasedAt } = data;
    // Its key, exclusive, as a merge takes its ids': a stay skipped while this runs waits for it, then keeps
    // no guest (`skippedUnderUntilCommit`), and one skipped before (its batch holding the key shared) is
    // waited for and seen below.
    await lockKeysUntilCommit(manager, [guestId]);
    await manager.query(
      `insert into survey_guests (guest_id) values ($1) on conflict (guest_id) do nothing`,
      [guestId],
    );
    // The ids merged into the guest are the same person: what is still kept under them goes too, under
    // one merged into it by a merge committing meanwhile as well.
    const { mergedIds } = await lockWithMergedIds(manager, guestId, null);
    await forget(manager, mergedIds, erasedAt, erasureKey);
  },
};

/**
 * `$1` and every id merged into it, directly or through other merged ids (`merged`), and the guest `$2`
 * stands for now (`survivor`): the one its chain of merges ends at, `$2` itself when it never ends, none
 * when `$2` is null. Merges are keyed by survivor, so S→T can be handled before M→S: M's data must then
 * reach T, not S. Every id named has a row: a merge or erasure inserts its own ids' first.
 */
const MERGED_AND_SURVIVOR = `
  merged (guest_id) as (
    select $1::uuid
    union
    select g.guest_id from merged m join survey_guests g on g.merged_into = m.guest_id),
  chain (guest_id, merged_into) as (
    select guest_id, merged_into from survey_guests where guest_id = $2::uuid
    union
    select g.guest_id, g.merged_into from chain c join survey_guests g on g.guest_id = c.merged_into),
  survivor (guest_id) as (select coalesce((select guest_id from chain where merged_into is null), $2::uuid))`;

/**
 * Locks, in one statement, the invitations of the ids `MERGED_AND_SURVIVOR` names as merged, then the rows
 * of all it names, in id order. The invitations come first, as the sender locks them, before their guests:
 * taken the other way round, a merge or erasure holding a guest and waiting for an invitation a sender holds
 * while waiting for that guest would deadlock with it. The names are computed as the statement starts; the
 * invitations are locked by a one-time filter, evaluated before the first guest row is read.
 */
const LOCK_MERGED_WITH_INVITATIONS = `
  with recursive ${MERGED_AND_SURVIVOR},
  invitations_first as (
    select survey_id from invitations where guest_id = any(array(select guest_id from merged))
    order by survey_id for update)
  select g.* from survey_guests g
  where g.guest_id = any(array(select guest_id from merged union select guest_id from survivor))
    and (select count(*) from invitations_first) >= 0
  order by g.guest_id for update of g`;

/**
 * The invitations of the guests `$1` names that no other transaction holds, locked. Those a merge or
 * erasure found were locked before their guests; one scheduled since (a stay whose invitation is scheduled
 * is recorded without locking its guest; one skipped waits for this, see `skippedUnderUntilCommit`) can be
 * held by a sender, or by another merge or erasure, which lock invitations before guests and so may be
 * waiting for the guests locked here: waited for, each would wait for the other. It is left to the one
 * holding it, which decides it on what this commits: a sender writes it under the survivor, or without a
 * guest once erased, as the merge or erasure would have.
 */
const INVITATIONS_NOT_HELD_ELSEWHERE =
  'select survey_id from invitations where guest_id = any($1::uuid[]) for update skip locked';

/**
 * Locks the invitations and rows of `guestId` and every id merged into it, and the row of the guest
 * `survivorId` stands for (see `GuestDirectory.lockSettled`). A merge committing while they were waited
 * for can have merged another id into them, which a look after the locks sees.
 */
async function lockWithMergedIds<Survivor extends string | null>(
  manager: EntityManager,
  guestId: string,
  survivorId: Survivor,
): Promise<{ mergedIds: string[]; survivorId: Survivor; stored: Map<string, StoredGuest> }> {
  return GuestDirectory.lockSettled(manager, async () => {
    const rows: GuestRow[] = await manager.query(LOCK_MERGED_WITH_INVITATIONS, [guestId, survivorId]);
    const stored = storedGuests(rows);
    const [now]: { merged_ids: string[]; survivor_id: string | null }[] = await manager.query(
      `with recursive ${MERGED_AND_SURVIVOR}
       select array(select guest_id from merged) as merged_ids, (select guest_id from survivor) as survivor_id`,
      [guestId, survivorId],
    );
    const named = now.survivor_id === null ? now.merged_ids : [now.survivor_id, ...now.merged_ids];
    if (!named.every((id) => stored.has(id))) return undefined;
    return { mergedIds: now.merged_ids, survivorId: now.survivor_id as Survivor, stored };
  });
}

/** Erases the guests: their contact details and identity go, their scores stay, anonymously. */
async function forget(
  manager: EntityManager,
  guestIds: string[],
  erasedAt: Date | string,
  erasureKey: string,
): Promise<void> {
  await manager.query(
    `update survey_guests set erased_at = $2, preferred_language = null, surveys_consent = null,
       surveys_consent_as_of = null, email_on_file = false, phone_on_file = false
     where guest_id = any($1::uuid[])`,
    [guestIds, erasedAt],
  );
  const erased: { survey_id: string }[] = await manager.query(
    `with erasable as (${INVITATIONS_NOT_HELD_ELSEWHERE}),
     erased as (
       update invitations i set guest_id = null,
         state = case when i.state = 'scheduled' then 'skipped' else i.state end,
         skip_reason = case when i.state = 'scheduled' then 'erased' else i.skip_reason end
       from erasable where i.survey_id = erasable.survey_id
       returning i.survey_id)
     select survey_id from erased`,
    [guestIds],
  );
  await forgetStays(
    manager,
    erased.map((row) => row.survey_id),
    erasureKey,
  );
  await manager.query('update answers set guest_id = null, comment = null where guest_id = any($1::uuid[])', [
    guestIds,
  ]);
}
