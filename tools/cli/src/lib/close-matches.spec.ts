import { closeMatches } from './close-matches';

describe('closeMatches', () => {
  const topics = ['stay-completed', 'stay-recorded', 'points-earned', 'points-earned.dlq', 'tier-changed'];

  it('should suggest topics a typo away', () => {
    expect(closeMatches('points-earnd', topics)).toEqual(['points-earned']);
  });

  it('should suggest topics containing what was typed', () => {
    expect(closeMatches('stay', topics)).toEqual(['stay-completed', 'stay-recorded']);
  });

  it('should suggest nothing for an unrelated name', () => {
    expect(closeMatches('invoices', topics)).toEqual([]);
  });
});
