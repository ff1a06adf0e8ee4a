import { deterministicUuid, EVENT_TYPES, sampleEvent, sampleEventData, validateEvent } from '../index';

describe('sampleEventData', () => {
  it.each(EVENT_TYPES)('should give a valid %s payload', (type) => {
    expect(() => validateEvent(sampleEvent(type))).not.toThrow();
  });

  it('should give a fresh copy when called again so tests can mutate it', () => {
    const first = sampleEventData('stay-completed');
    first.revenue.room.amountMinor = 1;

    expect(sampleEventData('stay-completed').revenue.room.amountMinor).toBe(54_000);
  });

  it('should apply overrides on top when they are given', () => {
    expect(sampleEventData('points-earned', { points: 7 }).points).toBe(7);
  });
});

describe('sampleEvent', () => {
  it('should be the same event when built twice', () => {
    expect(sampleEvent('tier-changed')).toEqual(sampleEvent('tier-changed'));
  });

  it('should take meta overrides when they are given', () => {
    expect(sampleEvent('tier-changed', { causationId: 'c-1' }).causationid).toBe('c-1');
  });
});

describe('deterministicUuid', () => {
  it('should give a stable v4-shaped UUID per seed', () => {
    expect(deterministicUuid('a')).toBe(deterministicUuid('a'));
    expect(deterministicUuid('a')).not.toBe(deterministicUuid('b'));
    expect(deterministicUuid('a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
