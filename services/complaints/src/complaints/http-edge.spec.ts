import { idempotencyKeyOf } from './http-edge';

describe('idempotencyKeyOf', () => {
  it('should treat an empty header as no key and cut a long one to 200 characters', () => {
    expect(idempotencyKeyOf('')).toBeUndefined();
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf('T-1042')).toBe('T-1042');
    expect(idempotencyKeyOf('k'.repeat(300))).toHaveLength(200);
  });
});
