import { assertSameRequest, requestKey } from './request-key';

describe('request keys', () => {
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
  const refusal = (message: string) => Object.assign(new Error(message), { code: 'IDEMPOTENCY_KEY_REUSED' });

  it('should give the same body the same fingerprint, and another value, order of items or route another', () => {
    const { key, fingerprint } = requestKey('T-1042', 'POST /complaints', body);
    expect(key).toBe('T-1042');
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey('T-1042', 'POST /complaints', reordered).fingerprint).toBe(fingerprint);
    for (const other of [
      { ...body, severity: 'high' },
      { ...body, stay: { ...body.stay, departure: '2025-03-07' } },
      { ...body, tags: ['a', 'b'] },
      { ...body, description: 'More.' },
    ]) {
      expect(requestKey('T-1042', 'POST /complaints', other).fingerprint).not.toBe(fingerprint);
    }
    expect(requestKey('T-1042', 'POST /complaints/{id}/compensations', body).fingerprint).not.toBe(
      fingerprint,
    );
  });

  it('should let a retry of the same request through, and a key kept before requests were fingerprinted', () => {
    const sent = requestKey('T-1042', 'POST /complaints', body);
    expect(() => assertSameRequest(sent, sent.fingerprint, refusal)).not.toThrow();
    expect(() => assertSameRequest(sent, null, refusal)).not.toThrow();
  });

  it("should throw the service's refusal when the key's first request was another", () => {
    const sent = requestKey('T-1042', 'POST /complaints', body);
    const first = requestKey('T-1042', 'POST /complaints', { ...body, severity: 'high' });
    expect(() => assertSameRequest(sent, first.fingerprint, refusal)).toThrow(
      expect.objectContaining({
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: expect.stringMatching(/different request/),
      }),
    );
  });
});
