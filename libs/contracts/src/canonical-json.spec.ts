import { canonicalJson, contentFingerprint } from './canonical-json';

describe('canonicalJson', () => {
  it('should write the same content the same way whatever the order of its properties, nested ones too', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(contentFingerprint({ a: 1, b: { c: 2, d: 3 } })).toBe(
      contentFingerprint({ b: { d: 3, c: 2 }, a: 1 }),
    );
  });

  it('should tell content apart when a value, an array order or a field differs', () => {
    const base = contentFingerprint({ a: [1, 2], b: 'x' });
    expect(contentFingerprint({ a: [2, 1], b: 'x' })).not.toBe(base);
    expect(contentFingerprint({ a: [1, 2], b: 'y' })).not.toBe(base);
    expect(contentFingerprint({ a: [1, 2], b: 'x', c: 0 })).not.toBe(base);
  });
});
