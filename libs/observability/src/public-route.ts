/**
 * Route metadata key that marks a controller or handler as reachable without a token. The auth
 * library's `@Public()` sets it and its guard reads it; it lives here so the health and metrics
 * controllers can be public without observability depending on auth.
 */
export const PUBLIC_ROUTE_METADATA = 'loyalty:public';
