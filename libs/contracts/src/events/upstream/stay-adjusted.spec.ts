import { sampleEventAsVersion } from '../../testing/fixtures';
import { validateEvent } from '../../validate';
import { ContractViolation } from '../../validation/contract-violation';

const received = (version: string, data: Record<string, unknown>) =>
  validateEvent(sampleEventAsVersion('stay-adjusted', version, data), 'stay-adjusted');

describe('stay-adjusted versions (v2 adds the nights after the adjustment)', () => {
  it.each([
    ['1', {}],
    ['2', {}],
    ['2', { nights: 2 }],
    ['2', { nights: 0 }],
    ['2', { nights: 366 }],
  ])('should accept v%s with %p', (version, data) => {
    expect(received(version, data)).toMatchObject({ version, data });
  });

  // v1 has no nights at all; in v2 they are a whole number, never negative, at most a year's.
  it.each([
    ['1', 2],
    ['2', -1],
    ['2', 367],
    ['2', 2_000_000_000],
    ['2', 1.5],
    ['2', '2'],
    ['2', null],
  ])('should refuse v%s with nights %p', (version, nights) => {
    expect(() => received(version, { nights })).toThrow(ContractViolation);
  });

  it('should name the bound when the nights pass a year', () => {
    expect(() => received('2', { nights: 400 })).toThrow('data.nights must be an integer from 0 to 366');
  });
});
