import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import { foldMergedGuest } from '../domain/guest-merge';
import { finalSurvivorsOf, GuestDirectory, type StoredGuest } from './guest-directory';

/**
 * Merge and erasure. A merge moves the merged id's invitations and answers to the survivor and folds
 * what is known of the merged guest into it (`foldMergedGuest`: a refusal of surveys holds, a channel
 * either had counts, the more recent invitation bounds the recontact window). Erasure
 * keeps scores, anonymously: free text is deleted, the guest id is cut from answers and invitations,
 * pending invitations are skipped and links already sent stop working. A guest merged into one already
 * erased is erased with them.
 */
export const GuestPrivacy = {
  async merge(manager: EntityManager, data: EventData<'guest-merged'>): Promise<void> {
    const { mergedId } = data;
    // The locks `GuestDirectory.remember` takes: news of either id is handled wholly before or after this.
    await lockKeysUntilCommit(manager, [data.survivorId, mergedId]);
    // A row inserted here is not heard of: the sender keeps waiting for profiles' news of that id.
    await manager.query(
      `insert into survey_guests (guest_id) values ($1), ($2) on conflict (guest_id) do nothing`,
      [data.survivorId, mergedId],
    );
    // The survivor's row, so an erasure of it committing meanwhile is waited for and seen, and the rows of
    // every id merged into `mergedId`, which are pointed at the survivor, with their invitations first.
    const { found, stored } = await GuestDirectory.lockSettled(
      manager,
      async () => ({
        // Merges are keyed by survivor, so S→T can be handled before M→S: M's data must then reach T, not S.
        survivorId: (await finalSurvivorsOf(manager, [data.survivorId])).get(data.survivorId) as string,
        mergedIds: await withMergedIds(manager, mergedId),
      }),
      ({ survivorId, mergedIds }) => [survivorId, ...mergedIds],
      ({ mergedIds }) => lockInvitationsOf(manager, mergedIds),
    );
    const { survivorId, mergedIds } = found;
    const survivor = stored.get(survivorId) as StoredGuest;
    await manager.query(`update survey_guests set merged_into = $1 where guest_id = $2 or merged_into = $2`, [
      survivorId,
      mergedId,
    ]);
    // The survivor was erased: the merged guest is the same person, so it is erased as well, not copied
    // onto the erased row.
    if (survivor.erasedAt) return forget(manager, mergedIds, survivor.erasedAt);
    const merged = foldMergedGuest(survivor, stored.get(mergedId) ?? {});
    await GuestDirectory.store(manager, new Map([[survivorId, merged]]));
    await manager.query('update invitations set guest_id = $1 where guest_id = $2', [survivorId, mergedId]);
    await manager.query('update answers set guest_id = $1 where guest_id = $2', [survivorId, mergedId]);
  },

  async erase(manager: EntityManager, data: EventData<'guest-erased'>): Promise<void> {
    const { guestId, erasedAt } = data;
    await manager.query(
      `insert into survey_guests (guest_id) values ($1) on conflict (guest_id) do nothing`,
      [guestId],
    );
    // The ids merged into the guest are the same person: what is still kept under them goes too, under
    // one merged into it by a merge committing meanwhile as well.
    const { found: guestIds } = await GuestDirectory.lockSettled(
      manager,
      () => withMergedIds(manager, guestId),
      (mergedIds) => mergedIds,
      (mergedIds) => lockInvitationsOf(manager, mergedIds),
    );
    await forget(manager, guestIds, erasedAt);
  },
};

/**
 * Locks the guests' invitations, before any guest row is locked or updated: the sender locks the
 * invitations it sends, then their guests. Taken the other way round, a merge or erasure holding a guest
 * and waiting for an invitation a sender holds while waiting for that guest would deadlock with it.
 */
async function lockInvitationsOf(manager: EntityManager, guestIds: readonly string[]): Promise<void> {
  await manager.query(
    'select 1 from invitations where guest_id = any($1::uuid[]) order by survey_id for update',
    [guestIds],
  );
}

/** Erases the guests: their contact details and identity go, their scores stay, anonymously. */
async function forget(manager: EntityManager, guestIds: string[], erasedAt: Date | string): Promise<void> {
  await manager.query(
    `update survey_guests set erased_at = $2, preferred_language = null, surveys_consent = null,
       email_on_file = false, phone_on_file = false
     where guest_id = any($1::uuid[])`,
    [guestIds, erasedAt],
  );
  await manager.query(
    `update invitations set state = 'skipped', skip_reason = 'erased'
     where guest_id = any($1::uuid[]) and state = 'scheduled'`,
    [guestIds],
  );
  await manager.query('update invitations set guest_id = null where guest_id = any($1::uuid[])', [guestIds]);
  await manager.query('update answers set guest_id = null, comment = null where guest_id = any($1::uuid[])', [
    guestIds,
  ]);
}

/** `guestId` and every id merged into it, directly or through other merged ids. */
async function withMergedIds(manager: EntityManager, guestId: string): Promise<string[]> {
  const rows: { guest_id: string }[] = await manager.query(
    `with recursive merged (guest_id) as (
       select $1::uuid
       union
       select g.guest_id from merged m join survey_guests g on g.merged_into = m.guest_id
     )
     select guest_id from merged`,
    [guestId],
  );
  return rows.map((row) => row.guest_id);
}
