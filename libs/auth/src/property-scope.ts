import { AuthException } from './exceptions/auth.exception';
import { ALL_PROPERTIES, type Principal } from './principal';
import { SUPER_ROLE, type Role } from './roles';

const describeList = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : '(none)');

/** True when the principal may act on every property: a `*` scope, or the chain-admin role. */
export function hasChainWideScope(principal: Principal): boolean {
  return principal.properties.includes(ALL_PROPERTIES) || principal.roles.includes(SUPER_ROLE);
}

/**
 * The property ids a query must be limited to for this principal, or `'all'` for no limit.
 * An empty array means the principal may see no property: the query should return nothing.
 */
export function propertyScopeFilter(principal: Principal): string[] | 'all' {
  return hasChainWideScope(principal) ? 'all' : [...principal.properties];
}

/** @throws AuthException PROPERTY_OUT_OF_SCOPE (403) unless the principal may act on `propertyId`. */
export function assertPropertyInScope(principal: Principal, propertyId: string): void {
  if (hasChainWideScope(principal) || principal.properties.includes(propertyId)) return;
  throw new AuthException(
    'PROPERTY_OUT_OF_SCOPE',
    `property "${propertyId}" is outside the token's property scope: ${describeList(principal.properties)}`,
  );
}

/** True when the token covers one of the properties the guest stayed at or booked (or is chain-wide). */
export function canSeeGuest(principal: Principal, guestProperties: readonly string[]): boolean {
  return hasChainWideScope(principal) || guestProperties.some((p) => principal.properties.includes(p));
}

/**
 * @throws AuthException PROPERTY_OUT_OF_SCOPE (403) unless the token covers one of the properties the
 * guest stayed at or booked: a property reaches the guests who came to it.
 */
export function assertGuestInScope(principal: Principal, guestProperties: readonly string[]): void {
  if (canSeeGuest(principal, guestProperties)) return;
  throw new AuthException(
    'PROPERTY_OUT_OF_SCOPE',
    `the guest has no stay or booking at the token's properties: ${describeList(principal.properties)}`,
  );
}

/**
 * @throws AuthException PROPERTY_OUT_OF_SCOPE (403) unless the principal is chain-wide, for `what` spans
 * properties (a brand, the chain, a model fitted on every guest).
 */
export function assertChainWide(principal: Principal, what: string): void {
  if (hasChainWideScope(principal)) return;
  throw new AuthException(
    'PROPERTY_OUT_OF_SCOPE',
    `${what} needs a chain-wide property scope; the token has: ${describeList(principal.properties)}`,
  );
}

/** True when the principal has one of `required` (or chain-admin); an empty list requires nothing. */
export function hasAnyRole(principal: Principal, required: readonly Role[]): boolean {
  if (required.length === 0 || principal.roles.includes(SUPER_ROLE)) return true;
  return required.some((role) => principal.roles.includes(role));
}

/** @throws AuthException ROLE_REQUIRED (403) naming the roles the route needs and those the token has. */
export function assertHasRole(principal: Principal, required: readonly Role[]): void {
  if (hasAnyRole(principal, required)) return;
  const accepted = [...new Set([...required, SUPER_ROLE])];
  throw new AuthException(
    'ROLE_REQUIRED',
    `this route needs one of the roles: ${accepted.join(', ')}; the token has: ${describeList(principal.roles)}`,
  );
}
