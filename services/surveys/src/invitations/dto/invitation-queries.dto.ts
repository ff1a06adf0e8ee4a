import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isReadableInstant } from '@loyalty/time';
import { CURSOR_REFUSED, INVITATION_CURSOR_LENGTH, parseInvitationCursor } from '../invitation-cursor';

const STATES = ['scheduled', 'sent', 'skipped', 'answered'] as const;

export class ListInvitationsQueryDto {
  @ApiPropertyOptional({ description: 'Only this property (within the token’s scope).' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'propertyId must be a property code' })
  propertyId?: string;

  @ApiPropertyOptional({ enum: STATES, default: 'sent' })
  @IsOptional()
  @IsIn(STATES, { message: `state must be one of: ${STATES.join(', ')}` })
  state?: (typeof STATES)[number];

  @ApiPropertyOptional({
    description: 'At most this many, newest first.',
    minimum: 1,
    maximum: 1000,
    default: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 1000' })
  @Min(1, { message: 'limit must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: number;

  // Refused here with the other invalid fields (one reason, whatever is wrong with it), instead of reaching
  // Postgres as a value it cannot cast.
  @ApiPropertyOptional({
    description: 'The `Next-Cursor` header of the previous page of this list (same filters).',
    maxLength: INVITATION_CURSOR_LENGTH,
  })
  @IsOptional()
  @ValidateBy(
    {
      name: 'isInvitationCursor',
      validator: {
        validate: (value) =>
          typeof value === 'string' &&
          value.length <= INVITATION_CURSOR_LENGTH &&
          parseInvitationCursor(value) !== null,
      },
    },
    { message: CURSOR_REFUSED },
  )
  cursor?: string;
}

export class SendDueQueryDto {
  @ApiPropertyOptional({
    description:
      'Send what is due at this instant instead of now (tests, local runs); refused in production.',
  })
  @IsOptional()
  @ValidateBy(
    { name: 'readableInstant', validator: { validate: isReadableInstant } },
    { message: 'asOf must be an ISO-8601 instant in the years 1900 to 2199, a time with Z or an offset' },
  )
  asOf?: string;
}
