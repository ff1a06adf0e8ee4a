import { propertyScopeFilter, type Principal } from '@loyalty/auth';

/**
 * The caller's property scope as a SQL `text[]` parameter for {@link stayedWithin}: null when chain-wide.
 * An empty scope stays an empty array, so it matches no guest.
 */
export function scopeParameter(principal: Principal): string[] | null {
  const scope = propertyScopeFilter(principal);
  return scope === 'all' ? null : scope;
}

/**
 * SQL that is true when the guest in `guestColumn` has a visit at one of the properties in the `text[]`
 * parameter `scope`, or when `scope` is null. The churn watch knows a guest only by their stays, so a
 * property reaches the guests who stayed there: every query limited to a caller's scope goes through this.
 */
export function stayedWithin(guestColumn: string, scope: string): string {
  return `(${scope}::text[] is null or exists (
    select 1 from guest_visits scoped
    where scoped.guest_id = ${guestColumn} and scoped.property_id = any(${scope}::text[])))`;
}
