import { dateOfDay, dayNumber, summariseVisits } from './visit-summary';

describe('summariseVisits', () => {
  it('should count repeat visits and their cadence from days in any order, one visit per day', () => {
    expect(summariseVisits([130, 100, 160, 160, 190])).toEqual({
      firstDay: 100,
      lastDay: 190,
      repeatVisits: 3,
      meanIntervalDays: 30,
      intervalDeviationDays: 0,
    });
  });

  it('should have no cadence with a single visit', () => {
    expect(summariseVisits([42])).toMatchObject({ repeatVisits: 0, meanIntervalDays: 0 });
  });

  it('should turn local dates into day numbers and back', () => {
    expect(dateOfDay(dayNumber('2031-03-02'))).toBe('2031-03-02');
    expect(dayNumber('1970-01-02')).toBe(1);
  });
});
