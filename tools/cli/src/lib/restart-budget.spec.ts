import { RestartBudget } from './restart-budget';

describe('RestartBudget', () => {
  let clock = 0;
  const budget = () => new RestartBudget(3, 60_000, () => clock);
  beforeEach(() => (clock = 0));

  it('should allow the restarts within the window and refuse the next one', () => {
    const restarts = budget();
    expect([restarts.spend(), restarts.spend(), restarts.spend(), restarts.spend()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('should forget restarts older than the window, as for a tail that follows a quiet topic for hours', () => {
    const restarts = budget();
    for (let hour = 0; hour < 10; hour++) {
      clock = hour * 3_600_000;
      expect(restarts.spend()).toBe(true);
    }
  });

  it('should start counting again after progress', () => {
    const restarts = budget();
    [1, 2, 3].forEach(() => restarts.spend());
    restarts.progressed();
    expect(restarts.spend()).toBe(true);
  });
});
