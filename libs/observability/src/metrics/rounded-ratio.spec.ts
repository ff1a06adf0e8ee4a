import { roundedRatio } from './rounded-ratio';

describe('roundedRatio', () => {
  it('should round an exact half up when its float quotient lies just below the tie', () => {
    expect(roundedRatio(41, 40, 2)).toBe(1.03);
    expect(roundedRatio(201, 400, 3)).toBe(0.503);
    expect(roundedRatio(20_100, 400, 1)).toBe(50.3);
  });

  it('should round to the nearest value when the quotient is no tie', () => {
    expect(roundedRatio(2, 3, 2)).toBe(0.67);
    expect(roundedRatio(1, 3, 3)).toBe(0.333);
    expect(roundedRatio(7, 7, 2)).toBe(1);
  });

  it('should round a negative half away from zero whichever side carries the sign', () => {
    expect(roundedRatio(-41, 40, 2)).toBe(-1.03);
    expect(roundedRatio(41, -40, 2)).toBe(-1.03);
    expect(roundedRatio(-1, 80, 3)).toBe(-0.013);
  });

  it('should give 0, not -0, when a negative ratio rounds to nothing', () => {
    expect(Object.is(roundedRatio(-1, 1000, 2), 0)).toBe(true);
  });

  it('should give null when the whole is zero', () => {
    expect(roundedRatio(0, 0, 2)).toBeNull();
    expect(roundedRatio(5, 0, 1)).toBeNull();
  });

  it('should refuse a part that is not an integer rather than round it inexactly', () => {
    expect(() => roundedRatio(1.5, 4, 2)).toThrow(RangeError);
  });
});
