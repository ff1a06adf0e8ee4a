import { withinMs } from './deadline';

describe('withinMs', () => {
  it("should give the work's result or error when it settles in time", async () => {
    await expect(withinMs(Promise.resolve(42), 1_000, 'too slow')).resolves.toBe(42);
    await expect(withinMs(Promise.reject(new Error('refused')), 1_000, 'too slow')).rejects.toThrow(
      'refused',
    );
  });

  it('should reject with the message once the time is up, while the work is still pending', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(withinMs(never, 5, 'no answer within 5 ms')).rejects.toThrow('no answer within 5 ms');
  });
});
