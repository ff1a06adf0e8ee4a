import { DEFAULT_CHAIN } from './chain';
import { SeededRandom } from './random';
import { newReservationId } from './stays';

/** Draws the numbers given, in order, as a generator that happens to repeat itself would. */
class ScriptedRandom extends SeededRandom {
  constructor(
    private readonly draws: number[],
    seed = 1,
  ) {
    super(seed);
  }

  override int(): number {
    const next = this.draws.shift();
    if (next === undefined) throw new Error('no draw left');
    return next;
  }
}

describe('newReservationId', () => {
  it('should draw again when the property already gave the number, and not when another property did', () => {
    const [amsterdam, tokyo] = DEFAULT_CHAIN;
    const taken = new Map<string, Set<string>>();
    const random = new ScriptedRandom([10_000_001, 10_000_001, 10_000_002, 10_000_001]);
    expect(newReservationId(amsterdam, random, taken)).toBe('R1-10000001');
    expect(newReservationId(amsterdam, random, taken)).toBe('R1-10000002');
    expect(newReservationId(tokyo, random, taken)).toBe('R1-10000001');
  });

  it('should give another seed a reservation of its own when it draws the same number at the property', () => {
    // As seeds 7 and 8 did at 5,000 guests, both drawing 55721940 at stay-extended-berlin.
    const [property] = DEFAULT_CHAIN;
    const firstRun = newReservationId(property, new ScriptedRandom([55_721_940], 7), new Map());
    const secondRun = newReservationId(property, new ScriptedRandom([55_721_940], 8), new Map());
    expect(firstRun).not.toBe(secondRun);
  });
});
