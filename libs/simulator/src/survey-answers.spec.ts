import { SURVEY_RESPONSE_RATE, surveyAnswerFor } from './survey-answers';

const stays = Array.from({ length: 3000 }, (_, i) => `grand-paris:R${i}`);

describe('surveyAnswerFor', () => {
  it('should answer the same way when given the same seed and stay', () => {
    expect(stays.slice(0, 50).map((s) => surveyAnswerFor(7, s))).toEqual(
      stays.slice(0, 50).map((s) => surveyAnswerFor(7, s)),
    );
  });

  it('should have about a third respond, with promoters, passives and detractors among them', () => {
    const answers = stays.map((s) => surveyAnswerFor(7, s)).filter((a) => a !== null);
    expect(answers.length / stays.length).toBeCloseTo(SURVEY_RESPONSE_RATE, 1);
    const scores = answers.map((a) => a.recommend).filter((score) => typeof score === 'number');
    const share = (test: (score: number) => boolean) => scores.filter(test).length / scores.length;
    expect(share((s) => s >= 9)).toBeGreaterThan(0.4);
    expect(share((s) => s <= 6)).toBeGreaterThan(0.1);
    expect(share((s) => s <= 6)).toBeLessThan(0.3);
    expect(scores.length).toBeLessThan(answers.length);
  });
});
