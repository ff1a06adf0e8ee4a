import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import type { GuestContact } from '../domain/eligibility';

type Attributes = Pick<
  EventData<'guest-registered'>['attributes'],
  'preferredLanguage' | 'surveysConsent' | 'emailOnFile' | 'phoneOnFile'
>;

export interface GuestAttributes {
  guestId: string;
  attributes: Attributes;
}

interface GuestRow {
  guest_id: string;
  erased_at: Date | null;
  preferred_language: string | null;
  surveys_consent: boolean | null;
  email_on_file: boolean;
  phone_on_file: boolean;
  last_invited_at: Date | null;
}

export interface KnownGuest extends GuestContact {
  guestId: string;
  preferredLanguage?: string;
}

/**
 * What surveys keeps of a guest, from profiles' events: whether they can be reached and want surveys,
 * their language and when they were last invited. No names or addresses ever reach surveys.
 */
export const GuestDirectory = {
  /**
   * Keeps what each event says of its guest, in two statements for a whole batch: a guest's events are
   * folded in order first (a later value wins, an absent one keeps the earlier), as one statement may
   * change a row only once. An erased guest is never filled in again.
   */
  async remember(manager: EntityManager, updates: readonly GuestAttributes[]): Promise<void> {
    const folded = new Map<string, Attributes>();
    for (const { guestId, attributes } of updates) {
      const before = folded.get(guestId) ?? {};
      folded.set(guestId, {
        preferredLanguage: attributes.preferredLanguage ?? before.preferredLanguage,
        surveysConsent: attributes.surveysConsent ?? before.surveysConsent,
        emailOnFile: attributes.emailOnFile ?? before.emailOnFile,
        phoneOnFile: attributes.phoneOnFile ?? before.phoneOnFile,
      });
    }
    if (folded.size === 0) return;
    // In id order, so two batches touching the same guests lock their rows in the same order.
    const rows = [...folded].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const params = [
      rows.map(([guestId]) => guestId),
      rows.map(([, a]) => a.preferredLanguage ?? null),
      rows.map(([, a]) => a.surveysConsent ?? null),
      rows.map(([, a]) => a.emailOnFile ?? null),
      rows.map(([, a]) => a.phoneOnFile ?? null),
    ];
    const given = `unnest($1::uuid[], $2::text[], $3::boolean[], $4::boolean[], $5::boolean[])
      as given (guest_id, preferred_language, surveys_consent, email_on_file, phone_on_file)`;
    // New guests are inserted as given; the others' rows then take what was given. The update is its own
    // statement, so it reads each row as it is once locked: a concurrent change to another field is kept.
    const inserted: { guest_id: string }[] = await manager.query(
      `insert into survey_guests (guest_id, preferred_language, surveys_consent, email_on_file, phone_on_file)
       select guest_id, preferred_language, surveys_consent, coalesce(email_on_file, false),
              coalesce(phone_on_file, false)
       from ${given}
       on conflict (guest_id) do nothing
       returning guest_id`,
      params,
    );
    if (inserted.length === rows.length) return;
    await manager.query(
      `update survey_guests g set
         preferred_language = coalesce(given.preferred_language, g.preferred_language),
         surveys_consent = coalesce(given.surveys_consent, g.surveys_consent),
         email_on_file = coalesce(given.email_on_file, g.email_on_file),
         phone_on_file = coalesce(given.phone_on_file, g.phone_on_file)
       from ${given}
       where g.guest_id = given.guest_id and g.erased_at is null and g.guest_id <> all($6::uuid[])`,
      [...params, inserted.map((row) => row.guest_id)],
    );
  },

  /** The guests as they are now, each id followed to its merge survivor. */
  async load(manager: EntityManager, guestIds: string[]): Promise<Map<string, KnownGuest>> {
    return loadGuests(manager, guestIds, '');
  },

  /**
   * As `load`, with the survivors' rows locked until the transaction ends, so whether a guest may be
   * invited holds until the invitation commits. Another transaction holding a row (a second sender, a
   * consent withdrawal, an erasure) is waited for, and its commit is what is read. Locked in id order,
   * as `remember` does, so two senders cannot deadlock on each other.
   */
  async lockForInviting(manager: EntityManager, guestIds: string[]): Promise<Map<string, KnownGuest>> {
    return loadGuests(manager, guestIds, 'order by g.guest_id for update of g');
  },

  async markInvited(manager: EntityManager, guestIds: readonly string[], at: Date): Promise<void> {
    await manager.query('update survey_guests set last_invited_at = $2 where guest_id = any($1::uuid[])', [
      [...new Set(guestIds)],
      at,
    ]);
  },
};

async function loadGuests(
  manager: EntityManager,
  guestIds: string[],
  locking: string,
): Promise<Map<string, KnownGuest>> {
  const rows: (GuestRow & { asked: string })[] = await manager.query(
    `select asked.id as asked, g.* from unnest($1::uuid[]) as asked (id)
     join survey_guests m on m.guest_id = asked.id
     join survey_guests g on g.guest_id = coalesce(m.merged_into, m.guest_id)
     ${locking}`,
    [guestIds],
  );
  return new Map(rows.map((row) => [row.asked, toGuest(row)]));
}

function toGuest(row: GuestRow): KnownGuest {
  return {
    guestId: row.guest_id,
    erased: row.erased_at !== null,
    emailOnFile: row.email_on_file,
    phoneOnFile: row.phone_on_file,
    ...(row.surveys_consent === null ? {} : { surveysConsent: row.surveys_consent }),
    ...(row.last_invited_at ? { lastInvitedAt: row.last_invited_at } : {}),
    ...(row.preferred_language ? { preferredLanguage: row.preferred_language } : {}),
  };
}
