import { EVENT_TYPES, eventCatalog, partitionKey, sampleEvent, SAMPLE_IDS } from './index';

describe('partitionKey', () => {
  it.each(EVENT_TYPES.filter((type) => eventCatalog[type].key.by === 'subject'))(
    'should key %s by the guest id when it is a guest event',
    (type) => {
      const event = sampleEvent(type);

      expect(partitionKey(event)).toBe(event.subject);
      expect(partitionKey(event)).toBe(SAMPLE_IDS.guestId);
    },
  );

  it.each(['reservation-created', 'reservation-cancelled', 'stay-completed', 'stay-adjusted'] as const)(
    'should key %s by propertyId:reservationId when it is an upstream booking event',
    (type) => {
      expect(eventCatalog[type].key.by).toBe('reservation');
      expect(partitionKey(sampleEvent(type))).toBe('AMS01:R2025-000123');
    },
  );

  it('should throw when a guest event has no subject', () => {
    const { subject: _subject, ...event } = sampleEvent('points-earned');

    expect(() => partitionKey(event)).toThrow('has no subject');
  });

  it('should throw when the type is unknown', () => {
    expect(() => partitionKey({ ...sampleEvent('points-earned'), type: 'nope' })).toThrow(
      'unknown event type',
    );
  });
});
