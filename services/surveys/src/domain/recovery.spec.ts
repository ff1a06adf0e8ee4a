import { recoveryTrigger, stayAspectScores } from './recovery';

const answer = (nps: number | undefined, csat: number | undefined) => ({
  ...(nps === undefined ? {} : { nps }),
  ...(csat === undefined ? {} : { csat }),
  quality: {},
  departments: {},
});

describe('recoveryTrigger', () => {
  it('should trigger on a detractor score of 6 and not on a passive 7', () => {
    expect(recoveryTrigger(answer(6, 5))).toBe('nps');
    expect(recoveryTrigger(answer(7, 5))).toBeNull();
  });

  it('should trigger on a very low CSAT when the guest would still recommend or skipped the question', () => {
    expect(recoveryTrigger(answer(9, 2))).toBe('csat');
    expect(recoveryTrigger(answer(undefined, 1))).toBe('csat');
    expect(recoveryTrigger(answer(undefined, 3))).toBeNull();
  });
});

describe('stayAspectScores', () => {
  it('should map departments to stay aspects worst first', () => {
    expect(
      stayAspectScores({
        quality: {},
        departments: { 'front-desk': 4, housekeeping: 1, 'food-and-beverage': 3 },
      }),
    ).toEqual([
      { dimension: 'cleanliness', score: 1 },
      { dimension: 'food-and-beverage', score: 3 },
      { dimension: 'check-in', score: 4 },
    ]);
  });
});
