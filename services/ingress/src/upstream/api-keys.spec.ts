import { ApiKeys, mayServe } from './api-keys';

describe('ApiKeys', () => {
  const keys = ApiKeys.parse(
    'opera-ams:secret-for-amsterdam-01:AMS01|AMS02,central:secret-for-central-res:*',
  );

  it('should identify the system a key belongs to and nothing for an unknown key', () => {
    expect(keys.identify('secret-for-amsterdam-01')?.name).toBe('opera-ams');
    expect(keys.identify('secret-for-central-res')?.name).toBe('central');
    expect(keys.identify('secret-for-amsterdam-02')).toBeUndefined();
    expect(keys.identify(undefined)).toBeUndefined();
  });

  it('should scope a key to its properties, or to all of them with *', () => {
    const amsterdam = keys.identify('secret-for-amsterdam-01');
    const central = keys.identify('secret-for-central-res');
    expect(amsterdam && mayServe(amsterdam, 'AMS02')).toBe(true);
    expect(amsterdam && mayServe(amsterdam, 'PAR01')).toBe(false);
    expect(central && mayServe(central, 'PAR01')).toBe(true);
  });
});
