import { LedgerErrorCode } from './ledger-error';
import { assertSameRequest } from './request-key';

describe('assertSameRequest', () => {
  const requestKey = { key: 'key-1', fingerprint: 'fingerprint-a' };

  it('should let a retry of the same request through', () => {
    expect(() => assertSameRequest(requestKey, 'fingerprint-a')).not.toThrow();
  });

  it('should let a key kept before requests were fingerprinted through', () => {
    expect(() => assertSameRequest(requestKey, null)).not.toThrow();
  });

  it('should refuse the key sent with another request', () => {
    expect(() => assertSameRequest(requestKey, 'fingerprint-b')).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.IDEMPOTENCY_KEY_REUSED }),
    );
  });
});
