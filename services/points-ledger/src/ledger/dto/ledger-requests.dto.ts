import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  NotEquals,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { Identifier, isIanaTimeZone, REWARD_KINDS, Text, TIERS } from '@loyalty/contracts';
import { CanonicalUuid } from '@loyalty/platform';
import { isReadableInstant } from '@loyalty/time';

/**
 * An ISO-8601 instant that a `Date` reads as written. `IsDateString` lets through forms (`2025-W23`,
 * `2025-152`, `2025-06-01T10`) that become an Invalid Date, which the query then fails on with a 500.
 */
const IsReadableInstant = (): PropertyDecorator =>
  ValidateBy(
    { name: 'isReadableInstant', validator: { validate: isReadableInstant } },
    {
      message:
        '$property must be an ISO-8601 instant in the years 1900 to 2199, a time with Z or an offset, e.g. 2025-06-01 or 2025-06-01T10:00:00Z',
    },
  );

const IsIanaTimeZone = (): PropertyDecorator =>
  ValidateBy(
    { name: 'isIanaTimeZone', validator: { validate: isIanaTimeZone } },
    { message: '$property must be an IANA time zone, e.g. Asia/Tokyo or UTC' },
  );

export class BalanceQueryDto {
  @ApiPropertyOptional({
    description:
      'The time zone whose local date decides which year is this year (`progress`), as the local ' +
      'departure date of a stay decides the year it counts in. Default UTC: an account has no time ' +
      "zone of its own, and the ledger's year-end re-evaluation and tier validity follow the UTC year.",
    example: 'Asia/Tokyo',
  })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;
}

export class PlaceHoldDto {
  @ApiProperty({ description: 'Points to set aside.', minimum: 1, example: 10_000 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  points: number;

  @ApiProperty({
    description: 'Property where the reward is used; must be in the token scope.',
    example: 'AMS01',
  })
  @Identifier()
  propertyId: string;

  @ApiPropertyOptional({ description: 'Minutes until the hold lapses (default: the program hold TTL).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  ttlMinutes?: number;
}

export class RewardRequestDto {
  @ApiProperty({ enum: REWARD_KINDS })
  @IsIn(REWARD_KINDS)
  kind: (typeof REWARD_KINDS)[number];

  @ApiProperty({ example: 'RWD-FN-STD' })
  // The `points-redeemed` contract's rule: blank passed `IsNotEmpty` and failed building the event.
  @Text(100)
  reference: string;
}

export class ConfirmHoldDto {
  @ApiProperty({ type: RewardRequestDto })
  // ValidateNested passes an absent value, and the `points-redeemed` contract must name the reward.
  @IsDefined()
  @ValidateNested()
  @Type(() => RewardRequestDto)
  reward: RewardRequestDto;

  @ApiProperty({ example: 'AMS01' })
  @Identifier()
  propertyId: string;
}

export class ReleaseHoldDto {
  @ApiProperty({ example: 'AMS01' })
  @Identifier()
  propertyId: string;
}

export class AdjustmentDto {
  @ApiProperty({ description: 'Signed change; capped per role.', example: 500 })
  @IsInt()
  @NotEquals(0)
  points: number;

  @ApiProperty({
    description: 'Shown in the statement; no personal data.',
    example: 'Late check-out not honoured',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiProperty({ example: 'AMS01' })
  @Identifier()
  propertyId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  @CanonicalUuid()
  complaintId?: string;
}

export class StatusChangeDto {
  @ApiProperty({ description: 'Why; kept in the audit trail, so no personal data.', example: 'Fraud review' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiProperty({ description: 'Property the staff member acts for; must be in the token scope.' })
  @Identifier()
  propertyId: string;
}

export class TransferDto {
  @ApiProperty({ description: 'The receiving member.' })
  @IsUUID()
  @CanonicalUuid()
  toGuestId: string;

  @ApiProperty({ description: 'Capped per role, like adjustments.', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  points: number;

  @ApiProperty({ description: 'Property the staff member acts for; must be in the token scope.' })
  @Identifier()
  propertyId: string;
}

export class TierOverrideDto {
  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  tierId: (typeof TIERS)[number];

  @ApiProperty({ example: 'Status match from a partner program' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ description: 'Locked against automatic moves until then; absent: until released.' })
  @IsOptional()
  @IsReadableInstant()
  lockUntil?: string;

  @ApiProperty({ description: 'Property the staff member acts for; must be in the token scope.' })
  @Identifier()
  propertyId: string;
}

export const ENTRY_TYPES = ['earn', 'redeem', 'expire', 'adjust', 'reverse', 'transfer'] as const;
export const MAX_PAGE_SIZE = 100;

/** A page of a keyset-paginated list: its size, and where the previous page ended. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;
}

export class StatementQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ENTRY_TYPES })
  @IsOptional()
  @IsIn(ENTRY_TYPES)
  type?: (typeof ENTRY_TYPES)[number];

  @ApiPropertyOptional({ description: 'Inclusive lower bound (ISO instant).' })
  @IsOptional()
  @IsReadableInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Exclusive upper bound (ISO instant).' })
  @IsOptional()
  @IsReadableInstant()
  to?: string;
}

export class RunJobQueryDto {
  @ApiPropertyOptional({
    description: 'Run as of this instant instead of now (tests, local runs); refused in production.',
  })
  @IsOptional()
  @IsReadableInstant()
  asOf?: string;
}
