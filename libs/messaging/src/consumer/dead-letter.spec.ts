import { DEAD_LETTER_HEADERS } from '@loyalty/contracts';
import { deadLetterMessage } from './dead-letter';

describe('deadLetterMessage', () => {
  const original = {
    topic: 'stay-completed',
    partition: 2,
    offset: '41',
    key: Buffer.from('AMS01:R1'),
    value: Buffer.from([0xff, 0x00, 0x7b]),
    headers: { 'correlation-id': 'c-1' },
    rawHeaders: { 'correlation-id': Buffer.from('c-1') },
    timestamp: '0',
  };
  const cause = {
    reason: 'NOT_JSON',
    error: new SyntaxError('Unexpected token'),
    attempts: 1,
    consumerGroup: 'points-ledger',
  };

  it('should keep the original bytes and headers and say why, where and how often it failed', () => {
    const letter = deadLetterMessage(original, cause, new Date('2026-01-02T03:04:05Z'));
    expect(letter.topic).toBe('stay-completed.dlq');
    expect(letter.key).toBe(original.key);
    expect(letter.value).toEqual(Buffer.from([0xff, 0x00, 0x7b]));
    expect(letter.headers).toMatchObject({
      'correlation-id': Buffer.from('c-1'),
      [DEAD_LETTER_HEADERS.reason]: 'NOT_JSON',
      [DEAD_LETTER_HEADERS.errorClass]: 'SyntaxError',
      [DEAD_LETTER_HEADERS.detail]: 'Unexpected token',
      [DEAD_LETTER_HEADERS.attempts]: '1',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'stay-completed',
      [DEAD_LETTER_HEADERS.sourcePartition]: '2',
      [DEAD_LETTER_HEADERS.sourceOffset]: '41',
      [DEAD_LETTER_HEADERS.consumerGroup]: 'points-ledger',
      [DEAD_LETTER_HEADERS.failedAt]: '2026-01-02T03:04:05.000Z',
    });
  });

  it('should keep a binary header and a repeated one byte for byte, before its own headers', () => {
    const letter = deadLetterMessage(
      {
        ...original,
        headers: { 'x-bin': '\ufffd\u0000\ufffd', 'x-a': '2', 'x-null': 'null' },
        rawHeaders: {
          'x-bin': Buffer.from([0xff, 0x00, 0xfe]),
          'x-a': [Buffer.from('1'), Buffer.from('2')],
          // Read from another producer's record; the client cannot write a null.
          'x-null': null,
        },
      },
      cause,
      new Date(),
    );
    expect(Object.entries(letter.headers).slice(0, 4)).toEqual([
      ['x-bin', Buffer.from([0xff, 0x00, 0xfe])],
      ['x-a', [Buffer.from('1'), Buffer.from('2')]],
      ['x-null', ''],
      [DEAD_LETTER_HEADERS.reason, 'NOT_JSON'],
    ]);
  });
});
