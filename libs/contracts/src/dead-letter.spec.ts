import { ContractViolationCode, DEAD_LETTER_HEADERS, deadLetterHeaders } from './index';

describe('deadLetterHeaders', () => {
  const info = {
    reason: ContractViolationCode.INVALID_DATA,
    detail: 'stay-completed v1 is invalid: data.nights must be a positive integer',
    errorClass: 'ContractViolation',
    sourceTopic: 'stay-completed',
    sourcePartition: 3,
    sourceOffset: '1042',
    consumerGroup: 'profiles',
    attempts: 1,
    failedAt: new Date('2025-03-04T10:15:00Z'),
  };

  it('should say why and where from as string headers when a message is dead-lettered', () => {
    expect(deadLetterHeaders(info)).toEqual({
      'dlq-reason': 'INVALID_DATA',
      'dlq-detail': info.detail,
      'dlq-error-class': 'ContractViolation',
      'dlq-source-topic': 'stay-completed',
      'dlq-source-partition': '3',
      'dlq-source-offset': '1042',
      'dlq-consumer-group': 'profiles',
      'dlq-attempts': '1',
      'dlq-failed-at': '2025-03-04T10:15:00.000Z',
    });
  });

  it('should cut the detail to 1000 characters when it is longer', () => {
    const headers = deadLetterHeaders({ ...info, detail: 'x'.repeat(5000) });

    expect(headers[DEAD_LETTER_HEADERS.detail]).toHaveLength(1000);
  });
});
