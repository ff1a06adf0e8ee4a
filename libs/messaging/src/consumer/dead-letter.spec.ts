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
    timestamp: '0',
  };

  it('should keep the original bytes and headers and say why, where and how often it failed', () => {
    const letter = deadLetterMessage(
      original,
      {
        reason: 'NOT_JSON',
        error: new SyntaxError('Unexpected token'),
        attempts: 1,
        consumerGroup: 'points-ledger',
      },
      new Date('2026-01-02T03:04:05Z'),
    );
    expect(letter.topic).toBe('stay-completed.dlq');
    expect(letter.key).toBe(original.key);
    expect(letter.value).toEqual(Buffer.from([0xff, 0x00, 0x7b]));
    expect(letter.headers).toMatchObject({
      'correlation-id': 'c-1',
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
});
