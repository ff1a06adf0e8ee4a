import { randomBytes } from 'node:crypto';
import {
  blindIndex,
  CryptoError,
  decrypt,
  encrypt,
  generateDataKey,
  unwrapDataKey,
  wrapDataKey,
} from './field-crypto';

describe('field encryption', () => {
  const master = randomBytes(32);

  it('should round-trip a value with the right key and context', () => {
    const key = generateDataKey();
    const sealed = encrypt(key, 'ada@example.com', 'g1:email');
    expect(sealed).not.toContain('ada');
    expect(decrypt(key, sealed, 'g1:email')).toBe('ada@example.com');
  });

  it('should use a new IV for every value, across refills of the IV pool, and still decrypt each', () => {
    const key = generateDataKey();
    const sealed = Array.from({ length: 3000 }, () => encrypt(key, 'ada@example.com', 'g1:email'));
    const ivs = sealed.map((value) =>
      Buffer.from(value.split('.')[1], 'base64').subarray(0, 12).toString('hex'),
    );
    expect(new Set(ivs).size).toBe(sealed.length);
    expect(sealed.every((value) => decrypt(key, value, 'g1:email') === 'ada@example.com')).toBe(true);
  });

  it('should refuse a value moved to another guest or field', () => {
    const key = generateDataKey();
    expect(() => decrypt(key, encrypt(key, 'x', 'g1:email'), 'g2:email')).toThrow(CryptoError);
  });

  it('should refuse a value with another key', () => {
    expect(() => decrypt(generateDataKey(), encrypt(generateDataKey(), 'x', 'c'), 'c')).toThrow(CryptoError);
  });

  it('should unwrap a data key only for the guest it was wrapped for', () => {
    const key = generateDataKey();
    const wrapped = wrapDataKey(master, key, 'g1');
    expect(unwrapDataKey(master, wrapped, 'g1').equals(key)).toBe(true);
    expect(() => unwrapDataKey(master, wrapped, 'g2')).toThrow(CryptoError);
  });

  it('should give equal blind indexes for equal values and different ones per kind and key', () => {
    expect(blindIndex(master, 'email', 'a@b.c')).toBe(blindIndex(master, 'email', 'a@b.c'));
    expect(blindIndex(master, 'email', 'a@b.c')).not.toBe(blindIndex(master, 'phone', 'a@b.c'));
    expect(blindIndex(randomBytes(32), 'email', 'a@b.c')).not.toBe(blindIndex(master, 'email', 'a@b.c'));
  });
});
