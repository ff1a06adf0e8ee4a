import { assertMaySetAside } from './duplicates';

const here = { id: 'here', propertyId: 'AMS01' };
const elsewhere = { id: 'elsewhere', propertyId: 'PAR01' };
const amsterdam = ['AMS01'];

describe('assertMaySetAside', () => {
  it('should let an original without duplicates be cancelled or marked a duplicate', () => {
    expect(() => assertMaySetAside('cancel', [], amsterdam)).not.toThrow();
    expect(() => assertMaySetAside('mark-duplicate', [], amsterdam)).not.toThrow();
  });

  it('should refuse to cancel an original with duplicates, naming those in scope and counting the others', () => {
    expect(() => assertMaySetAside('cancel', [here], 'all')).toThrow(
      expect.objectContaining({
        code: 'HAS_DUPLICATES',
        details: { duplicates: ['here'], duplicatesOutOfScope: 0 },
      }),
    );
    expect(() => assertMaySetAside('cancel', [here, elsewhere], amsterdam)).toThrow(
      expect.objectContaining({
        code: 'HAS_DUPLICATES',
        message:
          'cannot cancel a complaint others are marked duplicates of (here, 1 at properties outside your ' +
          'scope): their guests wait for its answer; resolve it instead',
        details: { duplicates: ['here'], duplicatesOutOfScope: 1 },
      }),
    );
  });

  it('should let an original be marked a duplicate when the actor may change each of its duplicates', () => {
    expect(() => assertMaySetAside('mark-duplicate', [here], amsterdam)).not.toThrow();
    expect(() => assertMaySetAside('mark-duplicate', [here, elsewhere], 'all')).not.toThrow();
  });

  it('should refuse to mark an original a duplicate when some of its duplicates are outside the scope', () => {
    expect(() => assertMaySetAside('mark-duplicate', [elsewhere, here], amsterdam)).toThrow(
      expect.objectContaining({
        code: 'HAS_DUPLICATES',
        message:
          'cannot mark as a duplicate a complaint others are marked duplicates of (here, 1 at properties ' +
          'outside your scope): they move with it to its original, and some are at properties outside your scope',
        details: { duplicates: ['here'], duplicatesOutOfScope: 1 },
      }),
    );
  });
});
