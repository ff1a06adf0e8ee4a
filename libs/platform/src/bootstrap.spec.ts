import type { INestApplication } from '@nestjs/common';
import { HealthRegistry } from '@loyalty/observability';
import { closeAfterDrain } from './bootstrap';

describe('closeAfterDrain', () => {
  afterEach(() => jest.useRealTimers());

  it('should fail readiness and keep serving for the drain before closing the app when a signal arrives', async () => {
    jest.useFakeTimers();
    const health = new HealthRegistry();
    const close = jest.fn<Promise<void>, []>().mockResolvedValue(undefined);
    const app = { get: () => health, close } as unknown as INestApplication;

    const shutdown = closeAfterDrain(app, 5_000);
    expect((await health.check()).status).toBe('error');
    await jest.advanceTimersByTimeAsync(4_999);
    expect(close).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await shutdown;
    expect(close).toHaveBeenCalledTimes(1);
  });
});
