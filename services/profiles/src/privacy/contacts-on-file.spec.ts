import { contactsNowOnFile } from './contacts-on-file';

describe('contactsNowOnFile', () => {
  it('should announce an email or phone newly on file, per guest, and nothing for other fields', () => {
    expect(
      contactsNowOnFile([
        { guestId: 'g-1', field: 'email' },
        { guestId: 'g-1', field: 'phone' },
        { guestId: 'g-2', field: 'givenName' },
        { guestId: 'g-3', field: 'phone' },
      ]),
    ).toEqual(
      new Map([
        ['g-1', { emailOnFile: true, phoneOnFile: true }],
        ['g-3', { phoneOnFile: true }],
      ]),
    );
  });
});
