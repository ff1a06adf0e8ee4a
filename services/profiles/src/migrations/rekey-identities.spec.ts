import { normaliseName } from '../domain/normalise';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher';
import { earlierNormalForm } from './1760000003400-name-keys-in-every-script';
import { withVowelMarks } from './1760000003500-name-keys-without-vowel-marks';
import { nameRekeying, type OnFile } from './rekey-identities';

describe('which name keys a change of normal form moves', () => {
  // Keys spelt out rather than hashed, so the expectations show the normalised names.
  const cipher = { index: (purpose: string, value: string) => `${purpose}:${value}` } as PersonalDataCipher;
  const strauss: OnFile = { givenName: 'Jürgen', familyName: 'Strauß' };
  const movesOf = (from: (name: string) => string, onFile: OnFile, tookInMerges: boolean) =>
    nameRekeying(from, normaliseName).movesOf(onFile, cipher, { tookInMerges });

  it('should move the keys the earlier normal form made of the names on file when no profile was merged into the guest', () => {
    expect(movesOf(earlierNormalForm, strauss, false)).toEqual([
      { source: 'family-name', from: 'family-name:strau', to: 'family-name:strauss' },
      { source: 'full-name', from: 'full-name:jurgen strau', to: 'full-name:jurgen strauss' },
      { source: 'name-dob', from: undefined, to: undefined },
      { source: 'similar-name', from: 'similar-name:J625 S360', to: 'similar-name:J625 S362' },
    ]);
  });

  it('should keep the earlier keys a merged profile can hold the current way (Strau), and write the current ones beside them', () => {
    expect(movesOf(earlierNormalForm, strauss, true)).toEqual([
      { source: 'family-name', from: undefined, to: 'family-name:strauss' },
      { source: 'full-name', from: undefined, to: 'full-name:jurgen strauss' },
      { source: 'name-dob', from: undefined, to: undefined },
      { source: 'similar-name', from: undefined, to: 'similar-name:J625 S362' },
    ]);
  });

  it('should still move the keys with vowel marks of a guest profiles were merged into: the current way makes none', () => {
    const vocalised: OnFile = { givenName: 'عُمَر', familyName: 'الخَطِيب', dateOfBirth: '1980-05-06' };
    const moves = movesOf(withVowelMarks, vocalised, true);
    expect(moves).toEqual(movesOf(withVowelMarks, vocalised, false));
    expect(moves).toContainEqual({
      source: 'family-name',
      from: `family-name:${withVowelMarks('الخَطِيب')}`,
      to: 'family-name:الخطيب',
    });
  });
});
