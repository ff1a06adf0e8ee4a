import { requestKey } from '@loyalty/platform';
import { requestKeyOf } from './http-edge';

describe('requestKeyOf', () => {
  const body = { points: 500 };

  it('should treat an empty header as no key and cut a long one to 200 characters', () => {
    expect(requestKeyOf('', 'POST /x', body)).toBeUndefined();
    expect(requestKeyOf(undefined, 'POST /x', body)).toBeUndefined();
    expect(requestKeyOf('T-1042', 'POST /x', body)?.key).toBe('T-1042');
    expect(requestKeyOf('k'.repeat(300), 'POST /x', body)?.key).toHaveLength(200);
  });

  it('should carry the fingerprint of the route and body it came with', () => {
    expect(requestKeyOf('T-1042', 'POST /x', body)?.fingerprint).toBe(
      requestKey('T-1042', 'POST /x', body).fingerprint,
    );
  });
});
