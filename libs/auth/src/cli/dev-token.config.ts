import { IsNotEmpty, IsOptional, IsString, MinLength } from 'class-validator';
import { DEV_JWT_SECRET } from '@loyalty/config';

/** The auth variables the dev-token command reads; the same names and defaults as BaseServiceConfig. */
export class DevTokenConfig {
  @IsString()
  @MinLength(16, { message: '$property must be at least 16 characters' })
  AUTH_JWT_SECRET = DEV_JWT_SECRET;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: '$property must not be empty when set' })
  AUTH_ISSUER?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: '$property must not be empty when set' })
  AUTH_AUDIENCE?: string;

  @IsOptional()
  @IsString()
  AUTH_JWKS_URL?: string;
}
