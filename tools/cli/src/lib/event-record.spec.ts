import { decodeRecord } from './event-record';

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
});
