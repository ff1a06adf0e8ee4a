import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { ERASURE_REASONS } from '@loyalty/contracts';

export class MergeGuestsDto {
  @ApiProperty() @IsUUID() guestA: string;
  @ApiProperty() @IsUUID() guestB: string;
}

export class EraseGuestDto {
  @ApiProperty({ enum: ERASURE_REASONS }) @IsIn(ERASURE_REASONS) reason: (typeof ERASURE_REASONS)[number];
}
