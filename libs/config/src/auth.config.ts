import { IsNotEmpty, IsOptional, IsString, Matches, MinLength } from 'class-validator';

/** HS256 secret used when AUTH_JWT_SECRET is not set; its name says it must never reach production. */
export const DEV_JWT_SECRET = 'dev-only-insecure-secret-change-me';

/**
 * The bearer-token variables: every service reads them through BaseServiceConfig, and the dev-token
 * command reads them alone.
 */
export class AuthConfig {
  /** HS256 secret; ignored when AUTH_JWKS_URL is set. */
  @IsString({ message: '$property must be at least 16 characters' })
  @MinLength(16, { message: '$property must be at least 16 characters' })
  AUTH_JWT_SECRET = DEV_JWT_SECRET;

  /** When set, tokens must be RS256 and are verified against this JWKS instead of the secret. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: '$property must be an http:// or https:// URL' })
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: '$property must not be empty when set' })
  AUTH_ISSUER?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: '$property must not be empty when set' })
  AUTH_AUDIENCE?: string;
}
