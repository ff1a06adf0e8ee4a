import { decodeRecord, matchesEventFilter } from './event-record';

describe('event records', () => {
  it('should read a null header value as empty when a Java producer or Kafka Connect wrote one', () => {
    const record = decodeRecord('points-earned', 0, {
      offset: '0',
      timestamp: '0',
      key: null,
      value: Buffer.from('{"id":"e-1"}'),
      headers: { ce_id: Buffer.from('e-1'), 'x-null': null, 'x-repeated': [null, Buffer.from('2')] },
    });
    expect(record.headers).toEqual({ ce_id: 'e-1', 'x-null': '', 'x-repeated': '' });
    expect(record.rawHeaders['x-null']).toBeNull();
    expect(record.event?.id).toBe('e-1');
  });

  it('should match --guest whatever the case of the UUID given or written', () => {
    const record = decodeRecord('points-earned', 0, {
      offset: '0',
      timestamp: '0',
      key: null,
      value: Buffer.from('{"id":"e-1","subject":"8f14e45f-ceea-467f-a8f5-1f2d6b7c0a9e"}'),
    });
    expect(matchesEventFilter(record, { guest: '8F14E45F-CEEA-467F-A8F5-1F2D6B7C0A9E' })).toBe(true);
    expect(matchesEventFilter(record, { guest: '9F14E45F-CEEA-467F-A8F5-1F2D6B7C0A9E' })).toBe(false);
  });
});
