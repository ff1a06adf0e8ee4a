import { expectedVersion } from './if-match';

describe('expectedVersion', () => {
  it('should set no condition when the header is absent, blank or *', () => {
    expect([undefined, '', '  ', '*'].map(expectedVersion)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('should read the version bare, quoted or as a weak tag, whole', () => {
    const version = '2026-12-06 12:00:00.123456+00/-';
    expect([version, `"${version}"`, `W/"${version}"`].map(expectedVersion)).toEqual([
      version,
      version,
      version,
    ]);
  });
});
