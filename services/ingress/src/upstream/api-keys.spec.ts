import { ApiKeys, mayServe } from './api-keys';

describe('ApiKeys', () => {
  const keys = ApiKeys.parse(
    'opera-ams:secret-for-amsterdam-01:AMS01|AMS02,central:secret-for-central-res:*',
  );

  it('should identify the system a key belongs to and nothing for an unknown key', () => {
    expect(keys.identify('secret-for-amsterdam-01')?.system.name).toBe('opera-ams');
    expect(keys.identify('secret-for-central-res')?.system.name).toBe('central');
    expect(keys.identify('secret-for-amsterdam-02')).toBeUndefined();
    expect(keys.identify(undefined)).toBeUndefined();
  });

  it('should scope a key to its properties, or to all of them with *', () => {
    const amsterdam = keys.identify('secret-for-amsterdam-01')?.system;
    const central = keys.identify('secret-for-central-res')?.system;
    expect(amsterdam && mayServe(amsterdam, 'AMS02')).toBe(true);
    expect(amsterdam && mayServe(amsterdam, 'PAR01')).toBe(false);
    expect(central && mayServe(central, 'PAR01')).toBe(true);
  });

  it('should let each key of a system listed twice in as that one system, told apart by fingerprint', () => {
    const rotating = ApiKeys.parse('crs:the-old-key-of-the-crs:*,crs:the-new-key-of-the-crs:*');
    const [old, next] = [
      rotating.identify('the-old-key-of-the-crs'),
      rotating.identify('the-new-key-of-the-crs'),
    ];

    expect(old?.system.name).toBe('crs');
    expect(next?.system).toBe(old?.system);
    expect(old?.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(next?.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(next?.fingerprint).not.toBe(old?.fingerprint);
    expect(rotating.identify('the-old-key-of-the-crs')?.fingerprint).toBe(old?.fingerprint);
  });
});
