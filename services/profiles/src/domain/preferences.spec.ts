import { validatePreferences } from './preferences';

describe('validatePreferences', () => {
  it('should accept valid selections', () => {
    expect(
      validatePreferences([
        { group: 'smoking', values: ['non-smoking'] },
        { group: 'dietary', values: ['vegan', 'halal'] },
      ]),
    ).toEqual([]);
  });

  it('should require exactly one smoking preference', () => {
    expect(validatePreferences([{ group: 'smoking', values: ['smoking', 'non-smoking'] }])).toEqual([
      'smoking: exactly 1 value(s) required, got 2',
    ]);
  });

  it('should refuse unknown groups, unknown values and too many values', () => {
    expect(
      validatePreferences([
        { group: 'minibar', values: [] },
        { group: 'bed', values: ['king', 'waterbed'] },
      ]),
    ).toEqual([
      'unknown preference group "minibar"',
      'bed: unknown value(s) waterbed',
      'bed: between 0 and 1 value(s) allowed, got 2',
    ]);
  });
});
