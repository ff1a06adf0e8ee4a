import type { SeededRandom } from './random';

// Guests' names, from the cultures an international chain hosts, listed most common first. A listed
// name is drawn with weight 1/rank^0.6, and most family names are rare ones composed from parts, so a
// few names are common and most are held by one guest or a few, as in a real guest list. Drawn
// uniformly from a few names, thousands of guests would share a few hundred of them, and profiles
// would rightly put every pair of namesakes in its review queue as a possible duplicate.
// prettier-ignore
const GIVEN_NAMES = [
  'James', 'Maria', 'Wei', 'Mohammed', 'Anna', 'Li', 'David', 'Sofia', 'Kenji', 'Fatima', 'John',
  'Elena', 'Lucas', 'Mei', 'Noah', 'Aisha', 'Daniel', 'Laura', 'Hiroshi', 'Priya', 'Michael',
  'Sara', 'Ahmed', 'Yuki', 'Carlos', 'Emma', 'Raj', 'Olga', 'Thomas', 'Chloe', 'Omar', 'Ines',
  'Peter', 'Julia', 'Arjun', 'Hana', 'Mateo', 'Lea', 'Jan', 'Amara', 'Paul', 'Clara', 'Ali', 'Ming',
  'Luca', 'Eva', 'Sven', 'Nadia', 'Pablo', 'Ingrid', 'Kofi', 'Marta', 'Diego', 'Yara', 'Jonas',
  'Akiko', 'Ivan', 'Lina', 'Hugo', 'Zara', 'Felix', 'Alice', 'Tariq', 'Rosa', 'Marco', 'Irina',
  'Elif', 'Ravi', 'Nina', 'Samuel', 'Beatriz', 'Kwame', 'Mia', 'Andrei', 'Leila', 'Oscar', 'Grace',
  'Jun', 'Isabel', 'Emre', 'Vera', 'Ada', 'Jorge', 'Freya', 'Hassan', 'Anouk', 'Dmitri', 'Keiko',
  'Tomas', 'Nora', 'Sanjay', 'Helena', 'Adrien', 'Chiara', 'Bram', 'Amina', 'Nikos', 'Lucia',
  'Viktor', 'Minji', 'Rafael', 'Ayumi', 'Finn', 'Dalia', 'Marek', 'Esther', 'Kaito', 'Amelie',
  'Bilal', 'Signe', 'Pedro', 'Zeynep', 'Aiden', 'Mariam', 'Stefan', 'Noor', 'Erik', 'Lotte',
];

// prettier-ignore
const FAMILY_NAMES = [
  'Wang', 'Smith', 'Li', 'Garcia', 'Zhang', 'Kumar', 'Rossi', 'Muller', 'Silva', 'Chen', 'Jansen',
  'Tanaka', 'Nguyen', 'Kim', 'Yilmaz', 'Martin', 'Singh', 'Novak', 'Haddad', 'Okafor', 'Sato',
  'Johnson', 'Lopez', 'Dubois', 'Ivanov', 'Suzuki', 'Liu', 'Brown', 'Santos', 'Schmidt', 'Kowalski',
  'Ferrari', 'Hansen', 'Fernandez', 'Patel', 'Takahashi', 'Papadopoulos', 'Jones', 'Rodriguez',
  'Bakker', 'Park', 'Huang', 'Williams', 'Moreau', 'Schneider', 'Gonzalez', 'Nowak', 'Costa',
  'Sharma', 'Ito', 'Petrov', 'Andersson', 'Murphy', 'Lee', 'Demir', 'Mensah', 'Hoffmann', 'Russo',
  'Martinez', 'Watanabe', 'Khan', 'Zhao', 'Visser', 'Taylor', 'Pereira', 'Lefebvre', 'Fischer',
  'Esposito', 'Choi', 'Kaya', 'Nielsen', 'Yamamoto', 'Wu', 'Davies', 'Hernandez', 'Meyer',
  'Bianchi', 'Gupta', 'Smirnov', 'Horvat', 'Oliveira', 'Wilson', 'Laurent', 'Weber', 'Romano',
  'Sanchez', 'Nakamura', 'Yang', 'Jovanovic', 'Evans', 'Ali', 'Wagner', 'Colombo', 'Rahman',
  'Kobayashi', 'Zhou', 'Olsen', 'Thomas', 'Ramirez', 'Becker', 'Ricci', 'Ahmed', 'Lindqvist',
  'Walsh', 'Mohammed', 'Kruger', 'Gallo', 'Torres', 'Kato', 'Xu', 'Berg', 'Roberts', 'Rao',
  'Schulz', 'Marino', 'Flores', 'Yoshida', 'Sun', 'Dimitrov', 'Hughes', 'Chowdhury', 'Koch',
  'Greco', 'Rivera', 'Yamada', 'Ma', 'Larsen', 'Byrne', 'Mishra', 'Bauer', 'Bruno', 'Gomez',
  'Sasaki', 'Zhu', 'Kovacs', 'Edwards', 'Ibrahim', 'Richter', 'Conti', 'Diaz', 'Yamaguchi', 'Hu',
  'Eriksson', 'Kelly', 'Reddy', 'Klein', 'Giordano', 'Morales', 'Matsumoto', 'Guo', 'Popescu',
  'Green', 'Hussain', 'Wolf', 'Mancini', 'Ruiz', 'Inoue', 'He', 'Jensen', 'Nair', 'Neumann',
  'Lombardi', 'Alvarez', 'Kimura', 'Lin', 'Horvath', 'Hall', 'Aziz', 'Schwarz', 'Moretti', 'Castro',
  'Hayashi', 'Luo', 'Pedersen', 'Ryan', 'Iyer', 'Zimmermann', 'Barbieri', 'Ortiz', 'Shimizu', 'Gao',
  'Kowalczyk', 'Wood', 'Mahmoud', 'Braun', 'Fontana', 'Romero', 'Yamazaki', 'Zheng', 'Lund',
  'Doyle', 'Menon', 'Kruse', 'Rinaldi', 'Vargas', 'Mori', 'Tang', 'Toth', 'Clarke', 'Hamdan',
  'Hartmann', 'Caruso', 'Medina', 'Ikeda', 'Feng', 'Holm', 'Walker', 'Bose', 'Lange', 'Ferrara',
  'Herrera', 'Abe', 'Cao', 'Nagy', 'Adeyemi', 'Owusu', 'Mwangi', 'Banda',
];

const NAME_SKEW = 0.6;
/** The share of family names outside the list above: each is one of 2,500, and rare. */
const RARE_FAMILY_SHARE = 0.6;
// prettier-ignore
const RARE_STEMS = [
  'Alder', 'Bran', 'Castel', 'Dal', 'Eck', 'Farr', 'Gold', 'Hollen', 'Ives', 'Jarl', 'Kessel', 'Lind',
  'Marsh', 'North', 'Oster', 'Pem', 'Quarr', 'Rosen', 'Stein', 'Thorn', 'Umber', 'Vander', 'Whit',
  'Yar', 'Zell', 'Bel', 'Cor', 'Dun', 'Ell', 'Fitz', 'Gran', 'Hart', 'Kil', 'Lang', 'Mont', 'Nev',
  'Or', 'Pal', 'Ran', 'Sal', 'Tal', 'Vel', 'Wal', 'Ash', 'Brook', 'Crane', 'Dray', 'Fair', 'Glen', 'Hay',
];
// prettier-ignore
const RARE_ENDINGS = [
  'berg', 'by', 'combe', 'dale', 'dorf', 'feld', 'field', 'ford', 'gaard', 'ham', 'holm', 'hurst',
  'ini', 'ino', 'mann', 'more', 'ov', 'ova', 'quist', 'ridge', 'sen', 'son', 'stad', 'strom', 'ton',
  'vik', 'wald', 'well', 'wick', 'worth', 'escu', 'enko', 'ides', 'ez', 'ello', 'etti', 'oza', 'anu',
  'ic', 'ak', 'ek', 'ey', 'ley', 'stone', 'wood', 'man', 'rud', 'lund', 'hagen', 'heim',
];

/** Each name with its share of all draws, the shares summing to 1, most common first. */
const byCommonness = (names: readonly string[]): { name: string; upTo: number }[] => {
  const weights = names.map((_, rank) => 1 / (rank + 1) ** NAME_SKEW);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let upTo = 0;
  return names.map((name, rank) => ({ name, upTo: (upTo += weights[rank] / total) }));
};

const GIVEN = byCommonness(GIVEN_NAMES);
const FAMILY = byCommonness(FAMILY_NAMES);

/** The name whose share holds `draw` (uniform in [0, 1)). */
const nameAt = (names: readonly { name: string; upTo: number }[], draw: number): string =>
  (names.find((entry) => draw < entry.upTo) ?? names[names.length - 1]).name;

function familyNameAt(draw: number): string {
  const listed = 1 - RARE_FAMILY_SHARE;
  if (draw < listed) return nameAt(FAMILY, draw / listed);
  const rare = Math.floor(((draw - listed) / RARE_FAMILY_SHARE) * RARE_STEMS.length * RARE_ENDINGS.length);
  return RARE_STEMS[Math.floor(rare / RARE_ENDINGS.length)] + RARE_ENDINGS[rare % RARE_ENDINGS.length];
}

/** A guest's given and family name, one draw each: the lists can change without moving any other draw. */
export function drawName(random: SeededRandom): { givenName: string; familyName: string } {
  return { givenName: nameAt(GIVEN, random.next()), familyName: familyNameAt(random.next()) };
}
