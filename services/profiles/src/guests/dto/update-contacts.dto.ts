import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { normalisePhone } from '../../domain/normalise';

export class UpdateContactsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) givenName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) familyName?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: '+31201234567' })
  @IsOptional()
  // The rule the stored phone is normalised by: a number it refuses would otherwise be dropped unsaid.
  @ValidateBy(
    {
      name: 'isInternationalPhone',
      validator: { validate: (value) => typeof value === 'string' && normalisePhone(value) !== undefined },
    },
    { message: 'phone must be an international number' },
  )
  phone?: string;
  @ApiPropertyOptional({ example: '1985-04-12' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be YYYY-MM-DD' })
  dateOfBirth?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) address?: string;

  /** The fields staff checked with the guest (e.g. a confirmed email): verified values win merges. */
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsIn(['givenName', 'familyName', 'email', 'phone', 'dateOfBirth', 'address'], { each: true })
  verified?: string[];
}
