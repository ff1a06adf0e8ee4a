import { SurveysApp } from './surveys-app';

/** The chain's sums over a range of days, as the NPS and drivers insights send them, through an index. */
describe('daily aggregates by day (migration 1760000005100)', () => {
  let app: SurveysApp;

  beforeAll(async () => {
    app = await SurveysApp.start('surveys_daily_by_day');
  });

  afterAll(() => app?.close());

  it.each([
    ['survey_daily', 'select coalesce(sum(responses), 0) from survey_daily where day >= $1 and day < $2'],
    [
      'survey_daily_scores',
      'select dimension, sum(n) from survey_daily_scores where day >= $1 and day < $2 group by dimension',
    ],
  ])('should sum %s over a range of days for the whole chain through an index', async (table, sql) => {
    const plan = await app.stage.db.planOf(sql, ['2026-09-01', '2026-12-01']);
    expect(plan.indexes).toEqual([`${table}_by_day`]);
  });
});
