import { AuthException } from '../exceptions/auth.exception';
import { principalFromPayload } from './claims';

describe('principalFromPayload', () => {
  it('should build a frozen principal when the claims are valid', () => {
    const principal = principalFromPayload({
      sub: 'a',
      roles: ['analyst'],
      properties: ['H1'],
      name: 'Ann',
      iat: 1,
    });
    expect(principal).toEqual({ sub: 'a', roles: ['analyst'], properties: ['H1'], name: 'Ann' });
    expect(Object.isFrozen(principal)).toBe(true);
  });

  it('should default the properties to none when the claim is absent', () => {
    expect(principalFromPayload({ sub: 'svc-ledger', roles: ['service'] }).properties).toEqual([]);
  });

  it.each([
    ['a string payload', 'just-a-string', 'the payload is not a JSON object'],
    ['no sub', { roles: ['analyst'] }, '"sub" must be a non-empty string'],
    ['roles not an array', { sub: 'a', roles: 'analyst' }, '"roles" must be an array of role names'],
    ['an unknown role', { sub: 'a', roles: ['analyst', 'god'] }, '"roles" has unknown roles: god'],
    [
      'properties with a number',
      { sub: 'a', roles: ['analyst'], properties: [1] },
      '"properties" must be an array',
    ],
    ['a numeric name', { sub: 'a', roles: ['analyst'], name: 5 }, '"name" must be a string'],
  ])('should reject the token as TOKEN_INVALID when it has %s', (_case, payload, reason) => {
    try {
      principalFromPayload(payload);
      throw new Error('expected a rejection');
    } catch (error) {
      expect(error).toBeInstanceOf(AuthException);
      expect((error as AuthException).code).toBe('TOKEN_INVALID');
      expect((error as AuthException).message).toContain(reason);
    }
  });
});
