import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BaseServiceConfig } from '@loyalty/config';
import { AUTH_OPTIONS, type AuthOptions } from './auth-options';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { TokenVerifier } from './token/token-verifier';

function optionsFromConfig(config: BaseServiceConfig): AuthOptions {
  if (config.usesDevJwtSecret) {
    new Logger('AuthModule').warn(
      'AUTH_JWT_SECRET is the development default: set it (or AUTH_JWKS_URL) outside local dev',
    );
  }
  return {
    jwtSecret: config.AUTH_JWT_SECRET,
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
  };
}

/**
 * Bearer-token authentication and role checks for every HTTP route of the app. Global: import it once
 * in the root module, after `ConfigModule.forRoot(...)`, whose `BaseServiceConfig` it reads.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_OPTIONS, inject: [BaseServiceConfig], useFactory: optionsFromConfig },
        {
          provide: TokenVerifier,
          inject: [AUTH_OPTIONS],
          useFactory: (options: AuthOptions) => new TokenVerifier(options),
        },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
      exports: [AUTH_OPTIONS, TokenVerifier],
    };
  }
}
