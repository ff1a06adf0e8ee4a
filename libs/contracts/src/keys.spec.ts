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

  it('should key a guest event in lower case when its guest id comes in upper case', () => {
    const event = sampleEvent('points-earned');
    const guestId = event.data.guestId.toUpperCase();
    const upper = { ...event, subject: guestId, data: { ...event.data, guestId } };

    expect(partitionKey(upper)).toBe(partitionKey(event));
    expect(partitionKey(upper)).toBe(SAMPLE_IDS.guestId.toLowerCase());
  });

  it('should keep a booking key as sent when its ids are in mixed case', () => {
    const event = sampleEvent('stay-completed');
    const mixed = { ...event, data: { ...event.data, propertyId: 'Ams01', reservationId: 'r2025-000123' } };

    expect(partitionKey(mixed)).toBe('Ams01:r2025-000123');
  });

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
