import { palette } from './colour';
import { decodeRecord } from './event-record';
import { eventJson, formatEventLine, summariseData, table } from './format';

const envelope = {
  id: 'e-1',
  type: 'stay-recorded',
  subject: 'g-1',
  propertyid: 'AMS01',
  correlationid: 'c-1',
  data: { guestId: 'g-1', nights: 3, channel: 'ota', note: 'late check out', room: { no: 1 } },
};
const record = decodeRecord('stay-recorded', 1, {
  offset: '42',
  timestamp: String(Date.parse('2026-11-23T03:00:00Z')),
  key: Buffer.from('g-1'),
  value: Buffer.from(JSON.stringify(envelope)),
  headers: { 'correlation-id': Buffer.from('c-1'), 'dlq-attempts': '5' },
});

describe('formatting events', () => {
  it('should summarise scalar payload fields, skipping the guest id and nested objects', () => {
    expect(summariseData(envelope.data)).toBe('nights=3 channel=ota note="late check out"');
  });

  it('should write one plain line with the key fields when colour is off', () => {
    expect(formatEventLine(record, palette(false))).toBe(
      '2026-11-23T03:00:00.000Z stay-recorded guest=g-1 prop=AMS01 nights=3 channel=ota note="late check out" id=e-1 stay-recorded[1]@42',
    );
  });

  it('should append correlation id and attempts when headers are asked for', () => {
    expect(formatEventLine(record, palette(false), { headers: true })).toMatch(/ corr=c-1 attempts=5$/);
  });

  it('should colour with ANSI codes only when enabled', () => {
    expect(formatEventLine(record, palette(true))).toContain('\u001b[36m');
    expect(formatEventLine(record, palette(false))).not.toContain('\u001b[');
  });

  it('should say why a value is unreadable', () => {
    const garbage = decodeRecord('t', 0, {
      offset: '1',
      timestamp: '0',
      key: null,
      value: Buffer.from([0xde, 0x7b]),
    });
    expect(formatEventLine(garbage, palette(false))).toMatch(/unreadable event is not JSON.* t\[0\]@1$/);
    expect(eventJson(garbage)).toMatchObject({
      value: '3ns=',
      unreadable: expect.stringMatching(/^event is not JSON/),
    });
  });

  it('should give NDJSON the envelope and position, headers only on request', () => {
    expect(eventJson(record)).toEqual({
      topic: 'stay-recorded',
      partition: 1,
      offset: '42',
      timestamp: '2026-11-23T03:00:00.000Z',
      key: 'g-1',
      event: envelope,
    });
    expect(eventJson(record, { headers: true }).headers).toEqual({
      'correlation-id': 'c-1',
      'dlq-attempts': '5',
    });
  });

  it('should align table columns, numbers to the right', () => {
    expect(
      table(
        ['TOPIC', 'LAG'],
        [
          ['a', 5],
          ['long-topic', 120],
        ],
      ),
    ).toBe('TOPIC       LAG\na             5\nlong-topic  120');
  });
});
