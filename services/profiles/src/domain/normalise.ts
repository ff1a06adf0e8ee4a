// Normal forms the matching rules compare: the same person typed twice should normalise the same.

/**
 * Lower-case, trimmed, in Unicode NFC (`é` typed as one character or as `e` and an accent is one address);
 * `googlemail.com` is `gmail.com`. Sub-addresses (`+tag`) are kept: they may be deliberate.
 */
export function normaliseEmail(email: string): string {
  const [local, domain = ''] = email.trim().toLowerCase().normalize('NFC').split('@');
  return `${local}@${domain === 'googlemail.com' ? 'gmail.com' : domain}`;
}

/**
 * E.164 (`+<digits>`) from what people type: spaces, dashes, dots, brackets and a `00` international
 * prefix are accepted, and a `(0)` trunk prefix (`+31 (0)20 …`) is dropped, as dialling from abroad drops
 * it; a number without a country code cannot be normalised and gives undefined.
 */
export function normalisePhone(phone: string): string | undefined {
  const compact = phone
    .trim()
    .replace(/\(\s*0\s*\)/g, '')
    .replace(/[\s().-]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  return /^\+[1-9]\d{6,14}$/.test(international) ? international : undefined;
}

/**
 * Letters that NFKD leaves whole but that are spelt as others, lower-case: Latin letters without a
 * decomposition (`Strauß` is also written `Strauss`, `Łukasz` `Lukasz`), and the Greek final sigma, which
 * lower-casing writes only at the end of a word (`ΠΑΠΑΣ-ΙΩΑΝΝΟΥ` and `Παπασιωάννου` are one name).
 */
const SPELT_AS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ı: 'i',
  ς: 'σ',
};

/** The combining diacritics Latin, Greek and Cyrillic put on letters (`Ёлкин` is `елкин`). */
export const ACCENTS = /[\u0300-\u036f]/g;

/**
 * The vowel points and reading marks Arabic and Hebrew add to a name or leave out (`مُحَمَّد` and `محمد`, `שָׁלוֹם`
 * and `שלום` are one name), with the hamza and madda on alef, waw and yeh as NFKD writes them apart (`أحمد` is
 * `احمد`), and the tatweel that only stretches a word. The small waw and yeh of Quranic text are letters, kept.
 */
export const VOWEL_MARKS =
  /[\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640]/g;

/**
 * Lower-case letters only, accents and vowel marks stripped, in any script: `  Müller-Lüdenscheidt ` is
 * `mullerludenscheidt`, `Strauß` is `strauss`, `ΠΑΠΑΔΌΠΟΥΛΟΣ` is `παπαδοπουλοσ`, `مُحَمَّد` is `محمد`. The marks
 * other scripts write letters and vowels with (Devanagari vowel signs, kana voicing) are kept, in NFKC.
 */
export function normaliseName(name: string): string {
  return lettersOf(name, [ACCENTS, VOWEL_MARKS]);
}

/** The letters of a name as `normaliseName` keeps them, with the marks `stripped` taken off. */
export function lettersOf(name: string, stripped: readonly RegExp[]): string {
  return stripped
    .reduce((letters, marks) => letters.replace(marks, ''), name.normalize('NFKD').toLowerCase())
    .replace(/[ßæœþøłđðıς]/g, (letter) => SPELT_AS[letter])
    .replace(/[^\p{L}\p{M}]/gu, '')
    .normalize('NFKC');
}

/**
 * What the similar-name rule compares of a name: its Soundex when it is spelt in a-z once normalised
 * (`Robert` and `Rupert` are both `R163`). Soundex codes only those letters, so a name in another script (or
 * mixing one in) is compared as normalised, which no Soundex code can be (they have digits): only the same
 * spelling sounds alike. Empty for an empty name.
 */
export function soundsLike(name: string, normalise: (name: string) => string = normaliseName): string {
  const letters = normalise(name);
  return /^[a-z]*$/.test(letters) ? soundex(letters) : letters;
}

/** American Soundex of a normalised name in a-z; empty for an empty name. */
function soundex(letters: string): string {
  if (!letters) return '';
  const codes: Record<string, string> = {
    b: '1',
    f: '1',
    p: '1',
    v: '1',
    c: '2',
    g: '2',
    j: '2',
    k: '2',
    q: '2',
    s: '2',
    x: '2',
    z: '2',
    d: '3',
    t: '3',
    l: '4',
    m: '5',
    n: '5',
    r: '6',
  };
  let result = letters[0].toUpperCase();
  let previous = codes[letters[0]] ?? '';
  for (const letter of letters.slice(1)) {
    const code = codes[letter] ?? '';
    if (code && code !== previous) result += code;
    // h and w do not separate equal codes; vowels do.
    if (letter !== 'h' && letter !== 'w') previous = code;
    if (result.length === 4) break;
  }
  return result.padEnd(4, '0');
}
