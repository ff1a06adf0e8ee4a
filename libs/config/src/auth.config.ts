import {
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { NotDevSecretInProduction } from './not-dev-secret-in-production';

/** HS256 secret used when AUTH_JWT_SECRET is not set; its name says it must never reach production. */
export const DEV_JWT_SECRET = 'dev-only-insecure-secret-change-me';

const jwksConfigured = (config: AuthConfig): boolean => config.AUTH_JWKS_URL !== undefined;

/**
 * Property decorator: refuses anything but an https:// URL when NODE_ENV is production, where whoever can
 * answer a plain http:// request could change what it returns.
 */
export const HttpsInProduction = (): PropertyDecorator =>
  ValidateBy({
    name: 'httpsInProduction',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as { NODE_ENV?: string }).NODE_ENV !== 'production' ||
        (typeof value === 'string' && value.startsWith('https://')),
      defaultMessage: () => '$property must be an https:// URL when NODE_ENV is production',
    },
  });

// RFC 7518 §3.2: an HS256 key must be at least 256 bits. Elsewhere 16 characters will do for local tokens.
const PRODUCTION_MIN_JWT_SECRET_LENGTH = 32;
const LongEnoughForHs256InProduction = (): PropertyDecorator =>
  ValidateBy({
    name: 'longEnoughForHs256InProduction',
    validator: {
      validate: (value: unknown, args) => {
        const config = args?.object as AuthConfig;
        if (config.NODE_ENV !== 'production' || jwksConfigured(config)) return true;
        return typeof value === 'string' && value.length >= PRODUCTION_MIN_JWT_SECRET_LENGTH;
      },
      defaultMessage: () =>
        `$property must be at least ${PRODUCTION_MIN_JWT_SECRET_LENGTH} characters when NODE_ENV is production`,
    },
  });

/**
 * The bearer-token variables: every service reads them through BaseServiceConfig, and the dev-token
 * command reads them alone.
 */
export class AuthConfig {
  /**
   * Only `production` changes anything: the development secret, a secret under 32 characters and a plain
   * http:// JWKS are refused, and shutdown drains.
   */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** HS256 secret (32+ characters in production); ignored when AUTH_JWKS_URL is set. */
  @IsString({ message: '$property must be at least 16 characters' })
  @MinLength(16, { message: '$property must be at least 16 characters' })
  @LongEnoughForHs256InProduction()
  @NotDevSecretInProduction(DEV_JWT_SECRET, {
    unusedWhen: jwksConfigured,
    message:
      '$property must be set to a secret of your own (or AUTH_JWKS_URL set) when NODE_ENV is production',
  })
  AUTH_JWT_SECRET = DEV_JWT_SECRET;

  /**
   * When set, tokens must be RS256 and are verified against this JWKS; https:// in production, since the
   * JWKS holds the keys tokens are checked against.
   */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: '$property must be an http:// or https:// URL' })
  @HttpsInProduction()
  AUTH_JWKS_URL?: string;

  // An IdP signs tokens for many clients: without issuer and audience, any of its tokens would pass.
  @ValidateIf((config: AuthConfig) => jwksConfigured(config) || config.AUTH_ISSUER !== undefined)
  @IsNotEmpty({ message: '$property must not be empty when set' })
  @IsString({ message: '$property is required when AUTH_JWKS_URL is set' })
  AUTH_ISSUER?: string;

  @ValidateIf((config: AuthConfig) => jwksConfigured(config) || config.AUTH_AUDIENCE !== undefined)
  @IsNotEmpty({ message: '$property must not be empty when set' })
  @IsString({ message: '$property is required when AUTH_JWKS_URL is set' })
  AUTH_AUDIENCE?: string;

  /** True while tokens are signed with the published development secret. */
  get usesDevJwtSecret(): boolean {
    return !jwksConfigured(this) && this.AUTH_JWT_SECRET === DEV_JWT_SECRET;
  }
}
