import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { COMPENSATION_KINDS, type CompensationKind } from '../../domain';

/** The ledger credits a compensation as a `service` adjustment, which it caps at 20,000 points. */
export const MAX_COMPENSATION_POINTS = 20_000;

export class RequestCompensationDto {
  @ApiProperty({ enum: COMPENSATION_KINDS })
  @IsIn(COMPENSATION_KINDS)
  kind: CompensationKind;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_COMPENSATION_POINTS, description: 'For goodwill points.' })
  @ValidateIf(
    (request: RequestCompensationDto) => request.kind === 'goodwill-points' || request.points !== undefined,
  )
  @IsInt({ message: 'points must be a whole number of points (required for goodwill-points)' })
  @Min(1, { message: 'points must be at least 1' })
  @Max(MAX_COMPENSATION_POINTS, {
    message: `points must be at most ${MAX_COMPENSATION_POINTS}, the most the ledger credits at once`,
  })
  points?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'For a discount: percent off the stay.' })
  @ValidateIf(
    (request: RequestCompensationDto) => request.kind === 'discount' || request.discountPercent !== undefined,
  )
  @IsInt({ message: 'discountPercent must be a whole percentage from 1 to 100 (required for discount)' })
  @Min(1, { message: 'discountPercent must be a whole percentage from 1 to 100 (required for discount)' })
  @Max(100, { message: 'discountPercent must be a whole percentage from 1 to 100 (required for discount)' })
  discountPercent?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note?: string;
}
