import { groupBy } from './guest-columns';

describe('groupBy', () => {
  it('should keep each group in the order of the items', () => {
    const groups = groupBy(['b1', 'l1', 'b2', 'l2', 'b3'], (id) => id[0]);
    expect([...groups]).toEqual([
      ['b', ['b1', 'b2', 'b3']],
      ['l', ['l1', 'l2']],
    ]);
  });
});
