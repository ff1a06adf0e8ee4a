import { FilterSyntaxError, matchesFilter, parseFilter } from './filter-expression';

const event = {
  type: 'stay-recorded',
  subject: 'g-1',
  propertyid: 'AMS01',
  data: { nights: 3, channel: 'ota', amount: '120.50', tags: ['vip', 'late'], room: { type: 'suite' } },
};
const matches = (expression: string) => matchesFilter(parseFilter(expression), event);

describe('filter expressions', () => {
  it.each([
    ['data.nights>=3 && data.channel=="ota"', true],
    ['data.nights > 3', false],
    ['data.nights == 3 || data.channel == "direct"', true],
    ['!(data.channel == "ota")', false],
    ["data.room.type == 'suite'", true],
    ['data.tags[0] == "vip"', true],
    ['data.tags ~= "late"', true],
    ['type ~= "stay"', true],
    ['data.amount > 100', true],
    ['data.missing == null', true],
    ['data.missing', false],
    ['data.nights', true],
    ['propertyid != "AMS01"', false],
    ['data.nights < "abc"', false],
    ['true && !false', true],
    ['data.nights >= -1', true],
  ])('should evaluate %s to %s', (expression, expected) => {
    expect(matches(expression)).toBe(expected);
  });

  it('should not reach into prototypes', () => {
    expect(matches('data.constructor == null')).toBe(true);
    expect(matches('data.__proto__')).toBe(false);
  });

  it.each([
    ['data.nights >=', 14, 'a value'],
    ['data.nights = 3', 12, '"==" (comparison)'],
    ['data.nights >= 3 &&', 19, 'a value'],
    ['(data.nights >= 3', 17, '")"'],
    ['data. == 1', 6, 'a field name'],
    ['data.nights 3', 12, 'an operator'],
    ['data.channel == "ota', 20, 'a closing "'],
    ['data.nights # 3', 12, 'a value, a path or an operator'],
    ['', 0, 'an expression'],
  ])('should reject %j at position %d saying it expected %s', (expression, position, expected) => {
    let error: unknown;
    try {
      parseFilter(expression);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FilterSyntaxError);
    const syntax = error as FilterSyntaxError;
    expect(syntax.position).toBe(position);
    expect(syntax.expected).toContain(expected);
    expect(syntax.pointer().split('\n')[1]).toBe(`  ${' '.repeat(position)}^`);
  });
});
