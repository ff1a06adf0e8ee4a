import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE_METADATA } from '@loyalty/observability';
import { ROLES_METADATA } from '../decorators/roles.decorator';
import { AuthException } from '../exceptions/auth.exception';
import type { AuthenticatedRequest } from '../principal';
import { assertHasRole } from '../property-scope';
import type { Role } from '../roles';
import { TokenVerifier } from '../token/token-verifier';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The app-wide guard: every HTTP route needs a valid bearer token unless it is `@Public()`, and the
 * roles of its `@Roles(...)`. Kafka handlers are not HTTP and are not guarded here.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_METADATA, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.verifier.verify(bearerToken(request.headers.authorization));
    request.principal = principal;
    assertHasRole(
      principal,
      this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets) ?? [],
    );
    return true;
  }
}

function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new AuthException('TOKEN_MISSING', 'this route needs an "Authorization: Bearer <token>" header');
  }
  const match = BEARER.exec(header);
  if (match === null) {
    throw new AuthException(
      'TOKEN_MISSING',
      'the Authorization header must use the Bearer scheme: "Bearer <token>"',
    );
  }
  return match[1];
}
