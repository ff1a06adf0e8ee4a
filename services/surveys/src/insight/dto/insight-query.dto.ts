import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { isLocalDate } from '@loyalty/contracts';
import { SUPPORTED_YEARS } from '@loyalty/time';
import { PERIODS, type Period } from '../../domain/periods';

export const SCOPES = ['property', 'brand', 'chain'] as const;
export type Scope = (typeof SCOPES)[number];

export class InsightQueryDto {
  @ApiProperty({ enum: SCOPES })
  @IsIn(SCOPES, { message: `scope must be one of: ${SCOPES.join(', ')}` })
  scope: Scope;

  @ApiPropertyOptional({ description: 'The property code or brand; not used for the chain.' })
  @ValidateIf((q: InsightQueryDto) => q.scope !== 'chain')
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'id must be the property code or brand of the scope',
  })
  id?: string;

  @ApiProperty({ enum: PERIODS })
  @IsIn(PERIODS, { message: `period must be one of: ${PERIODS.join(', ')}` })
  period: Period;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'A local date in the period (the last day for rolling-90); default today in the property’s time ' +
      'zone for a property, in UTC for a brand or the chain (they span time zones).',
  })
  @IsOptional()
  // The shape alone would let 2025-13-45 through to the period arithmetic, which throws on it.
  @ValidateBy(
    { name: 'localDate', validator: { validate: (value) => isLocalDate(value) } },
    {
      message: `date must be a calendar date as YYYY-MM-DD, in the years ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`,
    },
  )
  date?: string;
}

export class TrendQueryDto extends InsightQueryDto {
  @ApiPropertyOptional({ description: 'How many periods back from `date`, 1 to 26.', default: 6 })
  @IsOptional()
  @Matches(/^([1-9]|1\d|2[0-6])$/, { message: 'periods must be a whole number from 1 to 26' })
  periods?: string;
}
