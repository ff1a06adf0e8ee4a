import { CorrelationContext, isValidCorrelationId } from './correlation-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('CorrelationContext', () => {
  it('should return undefined when no context is running', () => {
    expect(CorrelationContext.current()).toBeUndefined();
  });

  it('should expose the given ids across awaits when run with them', async () => {
    const seen = await CorrelationContext.run({ correlationId: 'corr-1', causationId: 'evt-9' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return CorrelationContext.current();
    });
    expect(seen).toEqual({ correlationId: 'corr-1', causationId: 'evt-9' });
  });

  it('should generate a UUID when no correlation id comes in', () => {
    const id = CorrelationContext.run({}, () => CorrelationContext.correlationId());
    expect(id).toMatch(UUID);
  });

  it('should take an id with other characters percent-encoded, so no text is injected and its lines can be found', () => {
    const ids = CorrelationContext.run(
      { correlationId: 'bad id\n{"level":60}', causationId: 'x'.repeat(200) },
      () => CorrelationContext.current(),
    );
    expect(ids?.correlationId).toBe('bad%20id%0A%7B%22level%22:60%7D');
    expect(ids?.causationId).toBeUndefined();
    const upstream = CorrelationContext.run({ correlationId: 'opera/AMS01/Müller 100%' }, () =>
      CorrelationContext.correlationId(),
    );
    expect(upstream).toBe('opera%2FAMS01%2FM%C3%BCller%20100%25');
    expect(decodeURIComponent(upstream as string)).toBe('opera/AMS01/Müller 100%');
  });

  it('should replace an id longer than an envelope may carry, before encoding or after, with a UUID', () => {
    for (const correlationId of ['x'.repeat(129), '/'.repeat(43)]) {
      const id = CorrelationContext.run({ correlationId }, () => CorrelationContext.correlationId());
      expect(id).toMatch(UUID);
    }
    const fits = CorrelationContext.run({ correlationId: '/'.repeat(42) }, () =>
      CorrelationContext.correlationId(),
    );
    expect(fits).toBe('%2F'.repeat(42));
  });

  it('should keep concurrent contexts apart when they interleave', async () => {
    const read = (id: string) =>
      CorrelationContext.run({ correlationId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 5 : 1));
        return CorrelationContext.correlationId();
      });
    await expect(Promise.all([read('a'), read('b')])).resolves.toEqual(['a', 'b']);
  });

  it('should accept ids when they are UUIDs or dotted tokens', () => {
    expect(isValidCorrelationId('0b7e3a2c-2f0e-4c1e-9c55-3f1c2b7c9d10')).toBe(true);
    expect(isValidCorrelationId('svc.checkout:42')).toBe(true);
    expect(isValidCorrelationId('')).toBe(false);
  });
});
