import { contentFingerprint } from '@loyalty/contracts';

/**
 * An `Idempotency-Key` with the fingerprint of the request it came with. A retry sends the same request
 * again; the key sent with another request is a client's mistake, and answering it with the first
 * request's result would make the client believe its second request was done.
 */
export interface RequestKey {
  readonly key: string;
  readonly fingerprint: string;
}

/** The key with the fingerprint of the route and the validated body: the same body sent to another route differs too. */
export function requestKey(key: string, route: string, body: object): RequestKey {
  return { key, fingerprint: contentFingerprint({ route, body }) };
}

/**
 * @throws the service's `refusal` (its IDEMPOTENCY_KEY_REUSED error) when the key's first request was
 * another one. A key kept before requests were fingerprinted has no fingerprint and is answered as a
 * retry, as it was then.
 */
export function assertSameRequest(
  requestKey: RequestKey,
  firstFingerprint: string | null,
  refusal: (message: string) => Error,
): void {
  if (firstFingerprint !== null && firstFingerprint !== requestKey.fingerprint) {
    throw refusal(
      'this Idempotency-Key was already used for a different request: send a new request with a new key',
    );
  }
}
