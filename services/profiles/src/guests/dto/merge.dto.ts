import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { ERASURE_REASONS } from '@loyalty/contracts';
import { CanonicalUuid } from '@loyalty/platform';

export class MergeGuestsDto {
  @ApiProperty() @IsUUID() @CanonicalUuid() guestA: string;
  @ApiProperty() @IsUUID() @CanonicalUuid() guestB: string;
}

export class EraseGuestDto {
  @ApiProperty({ enum: ERASURE_REASONS }) @IsIn(ERASURE_REASONS) reason: (typeof ERASURE_REASONS)[number];
}
