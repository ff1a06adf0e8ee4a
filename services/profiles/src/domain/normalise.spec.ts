import { normaliseEmail, normaliseName, normalisePhone, soundex } from './normalise';

describe('normalisation', () => {
  it('should lower-case and trim emails and fold googlemail into gmail', () => {
    expect(normaliseEmail('  Ada.Example@GoogleMail.com ')).toBe('ada.example@gmail.com');
  });

  it('should give an email with accents one form, whether they were typed composed or decomposed', () => {
    const composed = 'Jos\u00e9@Caf\u00e9.example';
    const decomposed = 'Jose\u0301@Cafe\u0301.example';
    expect(normaliseEmail(decomposed)).toBe(normaliseEmail(composed));
    expect(normaliseEmail('JOSE\u0301@example.com')).toBe('jos\u00e9@example.com');
  });

  it('should not fold the dots of a Gmail address', () => {
    expect(normaliseEmail('ada.example@gmail.com')).not.toBe(normaliseEmail('adaexample@gmail.com'));
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
