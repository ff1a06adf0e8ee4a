import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ERASURE_REASONS } from '@loyalty/contracts';
import { CanonicalUuid } from '@loyalty/platform';

export class MergeGuestsDto {
  @ApiProperty() @IsUUID() @CanonicalUuid() guestA: string;
  @ApiProperty() @IsUUID() @CanonicalUuid() guestB: string;
}

/** A merge staff make directly: a pair recorded as not the same person is merged only when they say why. */
export class ManualMergeDto extends MergeGuestsDto {
  @ApiPropertyOptional({ description: 'merge although staff recorded the pair as not the same person' })
  @IsOptional()
  @IsBoolean()
  overrideNotSamePerson?: boolean;

  @ApiPropertyOptional({
    description: 'why the recorded decision is overridden (logged); needed with the override',
  })
  @ValidateIf((dto: ManualMergeDto) => dto.overrideNotSamePerson === true)
  @IsString()
  @Matches(/\S/, { message: 'reason must say why the recorded decision is overridden' })
  @MaxLength(200)
  reason?: string;
}

export class EraseGuestDto {
  @ApiProperty({ enum: ERASURE_REASONS }) @IsIn(ERASURE_REASONS) reason: (typeof ERASURE_REASONS)[number];
}
