import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CanonicalUuid } from '@loyalty/platform';
import { PARKED_REASONS, type ParkedReason } from '../parked-adjustments';
import { PageQueryDto } from './ledger-requests.dto';

const STAY_KEY = {
  description: "The stay: `<propertyId>/<reservationId>`, as the list's `stayKey`.",
  example: 'AMS01/R-88231',
};
const ADJUSTMENT_KEY = {
  description: "The adjustment: `<propertyId>/<adjustmentId>`, as the list's `adjustmentKey`.",
  example: 'AMS01/ADJ-5521',
};

export class ParkedAdjustmentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional(STAY_KEY)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  stayKey?: string;

  @ApiPropertyOptional({
    description:
      'Only adjustments of stays credited to this guest, or to a guest merged into them (a stay not ' +
      'credited yet names no guest).',
  })
  @IsOptional()
  @IsUUID()
  @CanonicalUuid()
  guestId?: string;

  @ApiPropertyOptional({ enum: PARKED_REASONS, description: 'Only those parked for this reason.' })
  @IsOptional()
  @IsIn(PARKED_REASONS)
  parkedBecause?: ParkedReason;
}

/** Which adjustment: of which stay, as the list names them. */
class AdjustmentOfStayDto {
  @ApiProperty(STAY_KEY)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  stayKey: string;

  @ApiProperty(ADJUSTMENT_KEY)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  adjustmentKey: string;
}

export class DiscardParkedAdjustmentDto extends AdjustmentOfStayDto {
  @ApiProperty({
    description: 'Why it must never apply; kept in the audit trail, so no personal data.',
    example: 'Reservation cancelled before arrival: no stay will come',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class RestoreDiscardedAdjustmentDto extends AdjustmentOfStayDto {
  @ApiProperty({
    description: 'Why the discard is undone; kept in the audit trail, so no personal data.',
    example: 'Discarded by mistake: the stay came under a corrected reservation number',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}
