import { normaliseEmail, normaliseName, normalisePhone, soundex } from './normalise';

describe('normalisation', () => {
  it('should lower-case and trim emails and fold googlemail into gmail', () => {
    expect(normaliseEmail('  Ada.Example@GoogleMail.com ')).toBe('ada.example@gmail.com');
  });

  it.each([
    ['+31 20 123 4567', '+31201234567'],
    ['0031 (20) 123-4567', '+31201234567'],
    ['+31 (0)20 123 4567', '+31201234567'],
    ['0044 (0) 20 7946 0958', '+442079460958'],
    ['020 123 4567', undefined],
  ])('should normalise the phone %s to %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it('should strip accents, case and punctuation from names', () => {
    expect(normaliseName('  Müller-Lüdenscheidt ')).toBe('mullerludenscheidt');
  });

  it('should give similar-sounding names the same soundex', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('')).toBe('');
  });
});
