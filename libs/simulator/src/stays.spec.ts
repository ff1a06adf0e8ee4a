import { DEFAULT_CHAIN } from './chain';
import { SeededRandom } from './random';
import { newReservationId } from './stays';

/** Draws the numbers given, in order, as a generator that happens to repeat itself would. */
class ScriptedRandom extends SeededRandom {
  constructor(private readonly draws: number[]) {
    super(1);
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
    expect(newReservationId(amsterdam, random, taken)).toBe('R10000001');
    expect(newReservationId(amsterdam, random, taken)).toBe('R10000002');
    expect(newReservationId(tokyo, random, taken)).toBe('R10000001');
  });
});
