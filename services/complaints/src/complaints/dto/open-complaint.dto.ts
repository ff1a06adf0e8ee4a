import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_SEVERITIES,
  LaterThan,
  LocalDate,
  STAY_DIMENSIONS,
  type StayDimension,
} from '@loyalty/contracts';
import type { ComplaintCategory, Severity } from '../../domain';

export class StayReferenceRequestDto {
  @ApiProperty({ format: 'uuid', description: 'The stay id from `stay-recorded`.' })
  @IsUUID()
  stayId: string;

  @ApiProperty({ example: 'AMS01' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  propertyId: string;

  @ApiProperty({ example: 'R-20250306-0042' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  reservationId: string;

  // Local dates, as `complaint-opened` carries them: a time or zone would break the event's contract.
  @ApiProperty({ example: '2025-03-03', format: 'date' })
  @LocalDate()
  arrival: string;

  @ApiProperty({ example: '2025-03-06', format: 'date' })
  @LocalDate()
  @LaterThan('arrival', 'date')
  departure: string;
}

export class OpenComplaintDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  guestId: string;

  @ApiProperty({ example: 'AMS01', description: 'Must be in the token scope.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  propertyId: string;

  @ApiPropertyOptional({ type: StayReferenceRequestDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StayReferenceRequestDto)
  stay?: StayReferenceRequestDto;

  @ApiPropertyOptional({ description: 'A reservation, when the complaint is before or without a stay.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  reservationId?: string;

  @ApiProperty({ enum: COMPLAINT_CHANNELS, description: '`front-desk` for a complaint made in person.' })
  @IsIn(COMPLAINT_CHANNELS)
  channel: (typeof COMPLAINT_CHANNELS)[number];

  @ApiProperty({ enum: COMPLAINT_CATEGORIES })
  @IsIn(COMPLAINT_CATEGORIES)
  category: ComplaintCategory;

  @ApiPropertyOptional({
    enum: STAY_DIMENSIONS,
    description: 'The aspect of the stay; implied by the category except for `other`, where it is required.',
  })
  @ValidateIf((request: OpenComplaintDto) => request.category === 'other' || request.aspect !== undefined)
  @IsIn(STAY_DIMENSIONS, {
    message: 'aspect must be one of: $constraint1 (required when the category is other)',
  })
  aspect?: StayDimension;

  @ApiProperty({ enum: COMPLAINT_SEVERITIES })
  @IsIn(COMPLAINT_SEVERITIES)
  severity: Severity;

  @ApiProperty({ description: 'What the guest said, in their words.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  description: string;

  @ApiPropertyOptional({ description: 'Staff id of the owner; by default whoever acknowledges it.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  ownerId?: string;
}
