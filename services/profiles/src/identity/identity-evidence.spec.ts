import { PersonalDataCipher } from '../privacy/personal-data-cipher';
import { evidenceOf, replacedKeys, type IdentityInput } from './identity-evidence';

describe('identity rows a contact change replaces', () => {
  const cipher = { index: (purpose: string, value: string) => `${purpose}:${value}` } as PersonalDataCipher;
  const on = (identity: IdentityInput) => evidenceOf(identity, undefined, cipher);
  /** The sources of the keys a change from `before` to `after` replaces, each once. */
  const replacedSources = (before: IdentityInput, after: IdentityInput) => [
    ...new Set(replacedKeys(on(before), on(after)).map((key) => key.source)),
  ];
  const ada: IdentityInput = {
    givenName: 'Ada',
    familyName: 'Lovelace',
    email: 'ada@exmaple.com',
    phone: '+31201234567',
    dateOfBirth: '1985-04-12',
  };

  it('should replace the email rows when staff correct the email', () => {
    expect(replacedSources(ada, { ...ada, email: 'ada@example.com' })).toEqual(['email']);
    // Only the old email's key: another the guest holds from a merged profile is not among them.
    expect(replacedKeys(on(ada), on({ ...ada, email: 'ada@example.com' }))).toEqual(
      on({ email: ada.email }).filter((key) => key.source === 'email'),
    );
  });

  it('should replace the phone rows when the phone changes', () => {
    expect(replacedSources(ada, { ...ada, phone: '+31207654321' })).toEqual(['phone']);
  });

  it('should replace every name-derived row when the family name changes', () => {
    expect(replacedSources(ada, { ...ada, familyName: 'King' }).sort()).toEqual([
      'family-name',
      'full-name',
      'name-dob',
      'similar-name',
    ]);
  });

  it('should replace the name-and-dob rows when the date of birth changes', () => {
    expect(replacedSources(ada, { ...ada, dateOfBirth: '1985-04-21' })).toEqual(['name-dob']);
  });

  it('should replace nothing when a value is only written differently or newly given', () => {
    expect(replacedSources(ada, { ...ada, email: ' ADA@Exmaple.com ', familyName: 'LOVELACE' })).toEqual([]);
    expect(replacedSources({ email: ada.email }, ada)).toEqual([]);
  });

  it('should key a name in another script, and a name spelt with ß as one spelt with ss', () => {
    const keysOf = (identity: IdentityInput) => on(identity).map((key) => key.reference);
    expect(keysOf({ givenName: 'Анна', familyName: 'Иванова', dateOfBirth: '1985-04-12' })).toEqual([
      'family-name:иванова',
      'name-dob:анна иванова 1985-04-12',
      'full-name:анна иванова',
      'similar-name:анна иванова',
    ]);
    expect(keysOf({ givenName: 'Jürgen', familyName: 'Strauß' })).toEqual(
      keysOf({ givenName: 'Jurgen', familyName: 'STRAUSS' }),
    );
  });
});
