import type { EventData } from '@loyalty/contracts';
import type { PersonalField } from './personal-data-cipher';

type ContactsOnFile = Pick<EventData<'guest-updated'>['changes'], 'emailOnFile' | 'phoneOnFile'>;

const ANNOUNCED: Partial<Record<PersonalField, keyof ContactsOnFile>> = {
  email: 'emailOnFile',
  phone: 'phoneOnFile',
};

/**
 * Per guest, the channels they can now be reached on and could not before, as `guest-updated` announces
 * them: that there is an email or phone, never its value. Surveys decides by these whom it can invite.
 */
export function contactsNowOnFile(
  added: readonly { guestId: string; field: PersonalField }[],
): Map<string, ContactsOnFile> {
  const news = new Map<string, ContactsOnFile>();
  for (const { guestId, field } of added) {
    const flag = ANNOUNCED[field];
    if (flag) news.set(guestId, { ...news.get(guestId), [flag]: true });
  }
  return news;
}
