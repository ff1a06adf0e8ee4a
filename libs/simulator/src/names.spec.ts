import { drawName } from './names';
import { SeededRandom } from './random';

describe('drawName', () => {
  const random = new SeededRandom(7);
  const names = Array.from({ length: 5_000 }, () => drawName(random));
  const countsOf = (values: string[]): Map<string, number> =>
    values.reduce(
      (counts, value) => counts.set(value, (counts.get(value) ?? 0) + 1),
      new Map<string, number>(),
    );

  it('should give most of 5,000 guests a full name no other guest has', () => {
    const fullNames = countsOf(names.map((n) => `${n.givenName} ${n.familyName}`));
    const sharing = names.filter((n) => (fullNames.get(`${n.givenName} ${n.familyName}`) ?? 0) > 1);
    expect(sharing.length / names.length).toBeLessThan(0.15);
  });

  it('should make a few names common: the commonest given name far above the median one', () => {
    const counts = [...countsOf(names.map((n) => n.givenName)).values()].sort((a, b) => b - a);
    expect(counts[0]).toBeGreaterThan(5 * counts[Math.floor(counts.length / 2)]);
  });

  it('should draw names that can stand in an email address as they are', () => {
    for (const { givenName, familyName } of names) expect(`${givenName}${familyName}`).toMatch(/^[A-Za-z]+$/);
  });
});
