import { AuthException } from './exceptions/auth.exception';
import type { Principal } from './principal';
import {
  assertChainWide,
  assertGuestInScope,
  assertHasRole,
  assertPropertyInScope,
  canSeeGuest,
  hasAnyRole,
  propertyScopeFilter,
} from './property-scope';

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  sub: 'u-1',
  roles: ['front-desk'],
  properties: ['H1', 'H2'],
  ...overrides,
});

function thrown(fn: () => void): AuthException {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthException) return error;
    throw error;
  }
  throw new Error('expected an AuthException');
}

describe('property scope', () => {
  it('should list the token properties when the scope is limited', () => {
    expect(propertyScopeFilter(principal())).toEqual(['H1', 'H2']);
  });

  it("should return 'all' when the scope is '*'", () => {
    expect(propertyScopeFilter(principal({ properties: ['*'] }))).toBe('all');
  });

  it("should return 'all' when the principal is a chain-admin", () => {
    expect(propertyScopeFilter(principal({ roles: ['chain-admin'], properties: [] }))).toBe('all');
  });

  it('should return an empty list when the token has no property', () => {
    expect(propertyScopeFilter(principal({ properties: [] }))).toEqual([]);
  });

  it('should pass when the property is in scope', () => {
    expect(() => assertPropertyInScope(principal(), 'H2')).not.toThrow();
    expect(() => assertPropertyInScope(principal({ properties: ['*'] }), 'H9')).not.toThrow();
  });

  it('should throw 403 PROPERTY_OUT_OF_SCOPE when the property is not in scope', () => {
    const error = thrown(() => assertPropertyInScope(principal({ properties: [] }), 'H3'));
    expect(error.getStatus()).toBe(403);
    expect(error.getResponse()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'PROPERTY_OUT_OF_SCOPE',
      message: `property "H3" is outside the token's property scope: (none)`,
    });
  });
});

describe('guest scope', () => {
  it('should see the guest when the guest stayed at or booked one of the token properties', () => {
    expect(canSeeGuest(principal(), ['H9', 'H2'])).toBe(true);
    expect(() => assertGuestInScope(principal(), ['H9', 'H2'])).not.toThrow();
  });

  it('should see every guest, even one with no property, when the principal is chain-wide', () => {
    expect(canSeeGuest(principal({ properties: ['*'] }), [])).toBe(true);
    expect(canSeeGuest(principal({ roles: ['chain-admin'], properties: [] }), ['H9'])).toBe(true);
  });

  it('should not see the guest when none of the guest properties is in scope', () => {
    expect(canSeeGuest(principal(), ['H9'])).toBe(false);
    expect(canSeeGuest(principal(), [])).toBe(false);
  });

  it('should throw 403 PROPERTY_OUT_OF_SCOPE naming the token properties when the guest is out of scope', () => {
    const error = thrown(() => assertGuestInScope(principal(), ['H9']));
    expect(error.getStatus()).toBe(403);
    expect(error.code).toBe('PROPERTY_OUT_OF_SCOPE');
    expect(error.message).toBe("the guest has no stay or booking at the token's properties: H1, H2");
  });
});

describe('chain-wide checks', () => {
  it("should pass when the scope is '*' or the principal is a chain-admin", () => {
    expect(() => assertChainWide(principal({ properties: ['*'] }), 'a brand view')).not.toThrow();
    expect(() =>
      assertChainWide(principal({ roles: ['chain-admin'], properties: [] }), 'a brand view'),
    ).not.toThrow();
  });

  it('should throw 403 PROPERTY_OUT_OF_SCOPE naming what needs the chain when the scope is limited', () => {
    const error = thrown(() => assertChainWide(principal({ properties: [] }), 'a brand view'));
    expect(error.getStatus()).toBe(403);
    expect(error.code).toBe('PROPERTY_OUT_OF_SCOPE');
    expect(error.message).toBe('a brand view needs a chain-wide property scope; the token has: (none)');
  });
});

describe('role checks', () => {
  it('should pass when no role is required', () => {
    expect(hasAnyRole(principal({ roles: [] }), [])).toBe(true);
  });

  it('should pass when the principal has one of the roles', () => {
    expect(hasAnyRole(principal({ roles: ['analyst'] }), ['property-manager', 'analyst'])).toBe(true);
  });

  it('should fail when the principal has none of the roles', () => {
    expect(hasAnyRole(principal({ roles: ['service'] }), ['analyst'])).toBe(false);
  });

  it('should name the accepted roles without repeating chain-admin when it is already required', () => {
    const error = thrown(() => assertHasRole(principal({ roles: [] }), ['chain-admin', 'analyst']));
    expect(error.code).toBe('ROLE_REQUIRED');
    expect(error.message).toBe(
      'this route needs one of the roles: chain-admin, analyst; the token has: (none)',
    );
  });
});
