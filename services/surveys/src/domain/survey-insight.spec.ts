import type { ScoredAnswer } from './answer-validation';
import { addInto, bucketOf, emptyBucket } from './survey-bucket';
import { driversOf, insightOf } from './survey-insight';

const answers = (list: ScoredAnswer[]) => list.reduce((b, a) => addInto(b, bucketOf(a)), emptyBucket());
const nps = (score: number): ScoredAnswer => ({ nps: score, quality: {}, departments: {} });

describe('survey insight', () => {
  it('should count 6 as a detractor, 7 and 8 as passives and 9 as a promoter at the band edges', () => {
    const insight = insightOf(answers([nps(6), nps(7), nps(8), nps(9)]), { invited: 8, answered: 4 });
    expect(insight).toMatchObject({ promoters: 1, passives: 2, detractors: 1, nps: 0, answers: 4 });
  });

  it('should count a skipped recommend answer as a response but leave it out of NPS', () => {
    const skipped: ScoredAnswer = { csat: 2, quality: { empathy: 2 }, departments: {} };
    const insight = insightOf(answers([nps(10), skipped]), { invited: 4, answered: 2 });
    expect(insight).toMatchObject({ responses: 2, answers: 1, nps: 100, responseRate: 0.5, csatAverage: 2 });
    expect(insight.serviceQuality.empathy).toEqual({ average: 2, answers: 1 });
  });

  it('should take the response rate from the period’s invitations answered when their answers come in a later period', () => {
    expect(insightOf(emptyBucket(), { invited: 2, answered: 1 })).toMatchObject({
      responses: 0,
      invited: 2,
      responseRate: 0.5,
    });
    expect(insightOf(answers([nps(9), nps(3)]), { invited: 1, answered: 0 })).toMatchObject({
      responses: 2,
      responseRate: 0,
    });
  });

  it('should round CSAT, a dimension average and the response rate up when they are exactly a half', () => {
    // 39 answers of 1 and one of 2: exactly 1.025, which is 1.02499… as a float.
    const scores = [...Array<number>(39).fill(1), 2];
    const bucket = answers(
      scores.map((score) => ({ csat: score, quality: { empathy: score }, departments: {} })),
    );
    const insight = insightOf({ ...bucket, responses: 201 }, { invited: 400, answered: 201 });
    expect(insight).toMatchObject({ csatAverage: 1.03, responseRate: 0.503 });
    expect(insight.serviceQuality.empathy).toEqual({ average: 1.03, answers: 40 });
  });

  it('should round the slope away from zero when it is exactly -1.1875', () => {
    const pairs = [
      [5, 1],
      [1, 6],
      [5, 4],
      [3, 1],
      [2, 9],
    ];
    const bucket = answers(pairs.map(([x, y]) => ({ nps: y, quality: { tangibles: x }, departments: {} })));
    expect(driversOf(bucket)[0]).toMatchObject({ dimension: 'tangibles', slope: -1.188 });
  });

  it('should give null rates and averages when nothing was answered or sent', () => {
    expect(insightOf(emptyBucket(), { invited: 0, answered: 0 })).toMatchObject({
      nps: null,
      responseRate: null,
      csatAverage: null,
    });
  });

  it('should rank the dimension that moves with the recommend score above one that does not', () => {
    const bucket = answers(
      [2, 5, 7, 9, 10].map((score, i) => ({
        nps: score,
        quality: { tangibles: Math.max(1, Math.round(score / 2)), reliability: 3 + (i % 2) },
        departments: {},
      })),
    );
    const [first, second] = driversOf(bucket);
    expect(first.dimension).toBe('tangibles');
    expect(first.correlation).toBeGreaterThan(0.9);
    expect(second.dimension).toBe('reliability');
    expect(Math.abs(second.correlation)).toBeLessThan(0.5);
  });

  it('should leave out a dimension when every answer gave it the same score', () => {
    const bucket = answers(
      [2, 6, 9].map((score) => ({ nps: score, quality: { empathy: 4 }, departments: {} })),
    );
    expect(driversOf(bucket)).toEqual([]);
  });

  it('should leave out a dimension answered without the recommend score', () => {
    const bucket = answers([1, 2, 3].map((s) => ({ quality: { empathy: s }, departments: {} })));
    expect(driversOf(bucket)).toEqual([]);
  });
});
