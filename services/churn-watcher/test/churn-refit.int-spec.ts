import { randomUUID } from 'node:crypto';
import { ModelFittingService } from '../src/watch/model-fitting.service';
import { ChurnStage, dayDate } from './churn-stage';

describe('churn-watcher refits the stays cannot support yet (real broker and Postgres)', () => {
  let churn: ChurnStage;

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_refit');
    // A chain just onboarded: every guest so far has had one stay.
    await churn.send(...Array.from({ length: 20 }, (_, i) => churn.stay(randomUUID(), 300 + i)));
  });

  afterAll(async () => {
    await churn.close();
  });

  it('should try a refit that saved no model again with the next scan, not at every tick, and at once when asked', async () => {
    const refits = jest.spyOn(churn.provider(ModelFittingService), 'refit');

    const [first] = await churn.at(330).runDue();
    const [nextTick] = await churn.runDue();
    expect(refits).toHaveBeenCalledTimes(1);
    expect(nextTick.ran).toBe(false);
    expect(first).toEqual({
      job: 'refit',
      ran: true,
      result: { models: 0 },
      nextRunAt: `${dayDate(331)}T03:00:00.000Z`,
    });

    const [withTheScan] = await churn.at(331).runDue();
    expect(withTheScan).toMatchObject({ ran: true, nextRunAt: `${dayDate(332)}T03:00:00.000Z` });
    expect(refits).toHaveBeenCalledTimes(2);

    // Regulars' histories loaded: an operator need not wait for the next scan.
    await churn.regulars([20, 30, 40], 300);
    const [asked] = await churn.runNow();
    expect(asked).toMatchObject({ ran: true, result: { models: 1 } });
    expect(refits).toHaveBeenCalledTimes(3);
  });
});
