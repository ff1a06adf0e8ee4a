import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';

/**
 * Merge and erasure. A merge moves the merged id's invitations and answers to the survivor, which keeps
 * the more recent invitation (so the recontact window spans both) and any channel either had. Erasure
 * keeps scores, anonymously: free text is deleted, the guest id is cut from answers and invitations,
 * pending invitations are skipped and links already sent stop working.
 */
export const GuestPrivacy = {
  async merge(manager: EntityManager, data: EventData<'guest-merged'>): Promise<void> {
    const { survivorId, mergedId } = data;
    await manager.query(
      `insert into survey_guests (guest_id) values ($1), ($2) on conflict (guest_id) do nothing`,
      [survivorId, mergedId],
    );
    await manager.query(
      `update survey_guests s set
         last_invited_at = greatest(s.last_invited_at, m.last_invited_at),
         email_on_file = s.email_on_file or m.email_on_file,
         phone_on_file = s.phone_on_file or m.phone_on_file,
         preferred_language = coalesce(s.preferred_language, m.preferred_language),
         surveys_consent = case when s.surveys_consent = false or m.surveys_consent = false then false
                                else coalesce(s.surveys_consent, m.surveys_consent) end
       from survey_guests m where s.guest_id = $1 and m.guest_id = $2`,
      [survivorId, mergedId],
    );
    await manager.query(`update survey_guests set merged_into = $1 where guest_id = $2 or merged_into = $2`, [
      survivorId,
      mergedId,
    ]);
    await manager.query('update invitations set guest_id = $1 where guest_id = $2', [survivorId, mergedId]);
    await manager.query('update answers set guest_id = $1 where guest_id = $2', [survivorId, mergedId]);
  },

  async erase(manager: EntityManager, data: EventData<'guest-erased'>): Promise<void> {
    const { guestId, erasedAt } = data;
    await manager.query(
      `insert into survey_guests (guest_id, erased_at) values ($1, $2)
       on conflict (guest_id) do update set erased_at = $2, preferred_language = null,
         surveys_consent = null, email_on_file = false, phone_on_file = false`,
      [guestId, erasedAt],
    );
    await manager.query(
      `update invitations set state = 'skipped', skip_reason = 'erased' where guest_id = $1 and state = 'scheduled'`,
      [guestId],
    );
    await manager.query('update invitations set guest_id = null where guest_id = $1', [guestId]);
    await manager.query('update answers set guest_id = null, comment = null where guest_id = $1', [guestId]);
  },
};
