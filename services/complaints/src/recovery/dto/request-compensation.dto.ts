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
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { COMPENSATION_KINDS, type CompensationKind } from '../../domain';

/** The ledger credits a compensation as a `service` adjustment, which it caps at 20,000 points. */
export const MAX_COMPENSATION_POINTS = 20_000;

/**
 * Refuses the amount of another kind's offer: it would be stored with the compensation and read, once
 * approved, as part of what the guest was given.
 */
const OnlyFor = (kind: CompensationKind) =>
  ValidateBy(
    {
      name: 'onlyFor',
      validator: {
        validate: (value: unknown, args) =>
          value === undefined || (args?.object as RequestCompensationDto).kind === kind,
      },
    },
    {
      message: ({ property, object }) =>
        `${property} is only for kind ${kind}, not ${String((object as RequestCompensationDto).kind)}`,
    },
  );

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
  @OnlyFor('goodwill-points')
  points?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'For a discount: percent off the stay.' })
  @ValidateIf(
    (request: RequestCompensationDto) => request.kind === 'discount' || request.discountPercent !== undefined,
  )
  @IsInt({ message: 'discountPercent must be a whole percentage from 1 to 100 (required for discount)' })
  @Min(1, { message: 'discountPercent must be a whole percentage from 1 to 100 (required for discount)' })
  @Max(100, { message: 'discountPercent must be a whole percentage from 1 to 100 (required for discount)' })
  @OnlyFor('discount')
  discountPercent?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note?: string;
}
