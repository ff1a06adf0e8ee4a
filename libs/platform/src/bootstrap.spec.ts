import type { INestApplication } from '@nestjs/common';
import { HealthRegistry, PinoLoggerService } from '@loyalty/observability';
import { closeAfterDrain, exitWhenNotLive, gracefulShutdown } from './bootstrap';

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

describe('gracefulShutdown', () => {
  afterEach(() => jest.useRealTimers());

  /** An app whose close takes `closeMs`, with the registry and a logger that records its lines. */
  function appClosingIn(closeMs: number) {
    const health = new HealthRegistry();
    const logged: string[] = [];
    const logger = { log: (line: string) => logged.push(line), error: (line: string) => logged.push(line) };
    const close = jest.fn(() => new Promise<void>((resolve) => setTimeout(resolve, closeMs)));
    const app = {
      get: (token: unknown) => (token === PinoLoggerService ? logger : health),
      close,
    } as unknown as INestApplication;
    return { app, health, close, logged };
  }

  it('should exit with the code asked for after the drain and the close, once, when asked twice', async () => {
    jest.useFakeTimers();
    const { app, close, logged } = appClosingIn(100);
    const exits: number[] = [];
    const shutdown = gracefulShutdown(app, 15_000, 1_000, (code) => exits.push(code));

    shutdown('SIGTERM received', 0);
    shutdown('SIGINT received', 0);
    await jest.advanceTimersByTimeAsync(1_099);
    expect(exits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(exits).toEqual([0]);
    expect(close).toHaveBeenCalledTimes(1);
    expect(logged).toEqual(['SIGTERM received: draining']);
  });

  it('should exit 1 when the close hangs past the timeout', async () => {
    jest.useFakeTimers();
    const { app } = appClosingIn(60_000);
    const exits: number[] = [];
    gracefulShutdown(app, 15_000, 1_000, (code) => exits.push(code))('SIGTERM received', 0);

    await jest.advanceTimersByTimeAsync(1_000 + 15_000 + 5_000);

    expect(exits).toEqual([1]);
  });

  it('should shut down and exit 1 when liveness fails, and not before', async () => {
    jest.useFakeTimers();
    const { app, health, close, logged } = appClosingIn(0);
    const exits: number[] = [];
    exitWhenNotLive(
      app,
      gracefulShutdown(app, 15_000, 0, (code) => exits.push(code)),
    );
    await jest.advanceTimersByTimeAsync(60_000);
    expect(close).not.toHaveBeenCalled();

    health.failLiveness('consumer group g1 stopped');
    await jest.advanceTimersByTimeAsync(0);

    expect(exits).toEqual([1]);
    expect(logged).toEqual(['not live (consumer group g1 stopped): draining']);
  });
});
