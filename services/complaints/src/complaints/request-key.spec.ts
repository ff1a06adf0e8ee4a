import { ComplaintErrorCode } from '../domain';
import { assertSameRequest, requestFingerprint } from './request-key';

describe('request fingerprints', () => {
  const body = {
    guestId: 'a1b2',
    severity: 'low',
    stay: { departure: '2025-03-06', arrival: '2025-03-03' },
    tags: ['b', 'a'],
  };
  const reordered = {
    tags: ['b', 'a'],
    stay: { arrival: '2025-03-03', departure: '2025-03-06' },
    severity: 'low',
    guestId: 'a1b2',
  };

  it('should give the same body the same fingerprint, and another value, order of items or route another', () => {
    const fingerprint = requestFingerprint('POST /complaints', body);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint('POST /complaints', reordered)).toBe(fingerprint);
    for (const other of [
      { ...body, severity: 'high' },
      { ...body, stay: { ...body.stay, departure: '2025-03-07' } },
      { ...body, tags: ['a', 'b'] },
      { ...body, description: 'More.' },
    ]) {
      expect(requestFingerprint('POST /complaints', other)).not.toBe(fingerprint);
    }
    expect(requestFingerprint('POST /complaints/{id}/compensations', body)).not.toBe(fingerprint);
  });

  it('should refuse a key whose first request was another, and take one kept before fingerprints', () => {
    const key = { key: 'T-1042', fingerprint: requestFingerprint('POST /complaints', body) };
    expect(() => assertSameRequest(key, key.fingerprint)).not.toThrow();
    expect(() => assertSameRequest(key, null)).not.toThrow();
    expect(() =>
      assertSameRequest(key, requestFingerprint('POST /complaints', { ...body, severity: 'high' })),
    ).toThrow(expect.objectContaining({ code: ComplaintErrorCode.IDEMPOTENCY_KEY_REUSED }));
  });
});
