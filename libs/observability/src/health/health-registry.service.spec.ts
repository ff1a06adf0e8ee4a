import { DEFAULT_CHECK_TIMEOUT_MS, HealthRegistry } from './health-registry.service';

describe('HealthRegistry', () => {
  afterEach(() => jest.useRealTimers());

  it('should be ok with no checks when nothing is registered', async () => {
    await expect(new HealthRegistry().check()).resolves.toEqual({ status: 'ok', checks: {} });
  });

  it('should time a hanging check out after two seconds when no timeout is given', async () => {
    jest.useFakeTimers();
    const registry = new HealthRegistry();
    registry.register('kafka', () => new Promise<void>(() => undefined));
    const report = registry.check();
    await jest.advanceTimersByTimeAsync(DEFAULT_CHECK_TIMEOUT_MS - 1);
    let settled = false;
    void report.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(report).resolves.toMatchObject({
      status: 'error',
      checks: { kafka: { status: 'down', error: 'timed out after 2000 ms' } },
    });
  });

  it('should report down when a check throws synchronously', async () => {
    const registry = new HealthRegistry();
    registry.register('redis', () => {
      throw new Error('no client');
    });
    const report = await registry.check();
    expect(report.checks.redis).toMatchObject({ status: 'down', error: 'no client' });
  });

  it('should hide credentials and shorten the error when a driver error contains a URL', async () => {
    const registry = new HealthRegistry();
    registry.register('postgres', async () => {
      throw new Error(`cannot connect to postgres://app:hunter2@db:5432/x ${'x'.repeat(500)}`);
    });
    const { checks } = await registry.check();
    const error = checks.postgres.status === 'down' ? checks.postgres.error : '';
    expect(error).toContain('postgres://app:****@db');
    expect(error).not.toContain('hunter2');
    expect(error.length).toBeLessThanOrEqual(200);
  });

  it('should stop running a check when it is unregistered', async () => {
    const registry = new HealthRegistry();
    registry.register('x', async () => Promise.reject(new Error('down')));
    registry.unregister('x');
    await expect(registry.check()).resolves.toEqual({ status: 'ok', checks: {} });
  });
  it('should report not ready at once and resolve only after the drain when a drain starts', async () => {
    jest.useFakeTimers();
    const registry = new HealthRegistry();
    let drained = false;
    const drain = registry.drain(3_000).then(() => (drained = true));
    await expect(registry.check()).resolves.toMatchObject({
      status: 'error',
      checks: { shutdown: { status: 'down', error: 'the service is shutting down' } },
    });
    await jest.advanceTimersByTimeAsync(2_999);
    expect(drained).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await drain;
    expect(drained).toBe(true);
  });

  it('should tell each listener once, with the first reason, when liveness fails', () => {
    const registry = new HealthRegistry();
    const told: string[] = [];
    registry.onLivenessFailed((reason) => told.push(`a: ${reason}`));
    registry.onLivenessFailed((reason) => told.push(`b: ${reason}`));
    expect(told).toEqual([]);

    registry.failLiveness('consumer group g1 stopped');
    registry.failLiveness('consumer group g2 stopped');

    expect(told).toEqual(['a: consumer group g1 stopped', 'b: consumer group g1 stopped']);
    expect(registry.liveness()).toEqual({
      status: 'error',
      failures: ['consumer group g1 stopped', 'consumer group g2 stopped'],
    });
  });

  it('should tell a listener at once when liveness failed before it listened', () => {
    const registry = new HealthRegistry();
    registry.failLiveness('consumer group g1 stopped');
    const told: string[] = [];
    registry.onLivenessFailed((reason) => told.push(reason));
    expect(told).toEqual(['consumer group g1 stopped']);
  });
});
