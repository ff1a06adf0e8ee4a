import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import type { GuestContact } from '../domain/eligibility';

type Attributes = EventData<'guest-registered'>['attributes'];

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
  async remember(manager: EntityManager, guestId: string, attributes: Attributes): Promise<void> {
    await manager.query(
      `insert into survey_guests (guest_id, preferred_language, surveys_consent, email_on_file, phone_on_file)
       values ($1, $2, $3, coalesce($4, false), coalesce($5, false))
       on conflict (guest_id) do update set
         preferred_language = coalesce(excluded.preferred_language, survey_guests.preferred_language),
         surveys_consent = coalesce($3, survey_guests.surveys_consent),
         email_on_file = coalesce($4, survey_guests.email_on_file),
         phone_on_file = coalesce($5, survey_guests.phone_on_file)
       where survey_guests.erased_at is null`,
      [
        guestId,
        attributes.preferredLanguage ?? null,
        attributes.surveysConsent ?? null,
        attributes.emailOnFile ?? null,
        attributes.phoneOnFile ?? null,
      ],
    );
  },

  /** The guests as they are now, each id followed to its merge survivor. */
  async load(manager: EntityManager, guestIds: string[]): Promise<Map<string, KnownGuest>> {
    const rows: (GuestRow & { asked: string })[] = await manager.query(
      `select asked.id as asked, g.* from unnest($1::uuid[]) as asked (id)
       join survey_guests m on m.guest_id = asked.id
       join survey_guests g on g.guest_id = coalesce(m.merged_into, m.guest_id)`,
      [guestIds],
    );
    return new Map(rows.map((row) => [row.asked, toGuest(row)]));
  },

  async markInvited(manager: EntityManager, guestIds: readonly string[], at: Date): Promise<void> {
    await manager.query('update survey_guests set last_invited_at = $2 where guest_id = any($1::uuid[])', [
      [...new Set(guestIds)],
      at,
    ]);
  },
};

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
