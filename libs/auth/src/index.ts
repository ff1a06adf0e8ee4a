export { AuthModule } from './auth.module';
export { AUTH_OPTIONS, type AuthOptions } from './auth-options';
export { ROLES, SUPER_ROLE, isRole, type Role } from './roles';
export { ALL_PROPERTIES, type AuthenticatedRequest, type Principal, type TokenClaims } from './principal';

export { Public } from './decorators/public.decorator';
export { Roles, ROLES_METADATA } from './decorators/roles.decorator';
export { CurrentPrincipal } from './decorators/current-principal.decorator';
export { PUBLIC_ROUTE_METADATA } from '@loyalty/observability';

export {
  AuthException,
  AUTH_ERROR_STATUS,
  type AuthErrorBody,
  type AuthErrorCode,
} from './exceptions/auth.exception';
export { JwtAuthGuard } from './guards/jwt-auth.guard';
export {
  assertChainWide,
  assertGuestInScope,
  assertHasRole,
  assertPropertyInScope,
  canSeeGuest,
  hasAnyRole,
  hasChainWideScope,
  propertyScopeFilter,
} from './property-scope';

export { TokenVerifier } from './token/token-verifier';
export { principalFromPayload } from './token/claims';
export {
  mintToken,
  parseTtl,
  TokenMintError,
  TOKEN_MINT_INVALID,
  type MintTokenOptions,
} from './token/mint-token';
