import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_SEVERITIES,
  Identifier,
  Instant,
  LaterThan,
  LocalDate,
  STAY_DIMENSIONS,
  type StayDimension,
} from '@loyalty/contracts';
import { CanonicalUuid } from '@loyalty/platform';
import type { ComplaintCategory, Severity } from '../../domain';
import { OWNER_ROLES } from './transition.dto';

export class StayReferenceRequestDto {
  @ApiProperty({ format: 'uuid', description: 'The stay id from `stay-recorded`.' })
  @IsUUID()
  @CanonicalUuid()
  stayId: string;

  @ApiProperty({ example: 'AMS01' })
  @Identifier()
  propertyId: string;

  // An identifier, as `complaint-opened` carries it: a reservation number with a space or '/' broke it.
  @ApiProperty({ example: 'R-20250306-0042' })
  @Identifier()
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

/**
 * The stay and reservation named must be the complaint's own: a complaint at one property tied to another
 * property's stay would reach guests and reports the caller cannot see.
 */
const StayAtTheComplaintsProperty = () =>
  ValidateBy(
    {
      name: 'stayAtTheComplaintsProperty',
      validator: {
        validate: (stay: StayReferenceRequestDto | undefined, args) =>
          stay?.propertyId === undefined || stay.propertyId === (args?.object as OpenComplaintDto).propertyId,
      },
    },
    { message: "stay must be at the complaint's propertyId" },
  );

const OwnerRoleWithOwner = () =>
  ValidateBy(
    {
      name: 'ownerRoleWithOwner',
      validator: {
        validate: (ownerRole: unknown, args) =>
          ownerRole === undefined || (args?.object as OpenComplaintDto).ownerId !== undefined,
      },
    },
    { message: 'ownerRole names the role of ownerId: give both or neither' },
  );

const TheStaysReservation = () =>
  ValidateBy(
    {
      name: 'theStaysReservation',
      validator: {
        validate: (reservationId: string | undefined, args) => {
          const stay = (args?.object as OpenComplaintDto).stay;
          return (
            reservationId === undefined ||
            stay?.reservationId === undefined ||
            reservationId === stay.reservationId
          );
        },
      },
    },
    { message: "reservationId must be the stay's reservationId when both are given" },
  );

export class OpenComplaintDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  @CanonicalUuid()
  guestId: string;

  @ApiProperty({ example: 'AMS01', description: 'Must be in the token scope.' })
  @Identifier()
  propertyId: string;

  @ApiPropertyOptional({ type: StayReferenceRequestDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StayReferenceRequestDto)
  @StayAtTheComplaintsProperty()
  stay?: StayReferenceRequestDto;

  @ApiPropertyOptional({ description: 'A reservation, when the complaint is before or without a stay.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  @TheStaysReservation()
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

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2025-03-04T08:15:00Z',
    description:
      'When the guest raised it, for a complaint logged afterwards (a letter, a call noted on paper); ' +
      'its SLA runs from then. By default, now. Not in the future, nor more than 30 days ago ' +
      '(422 INVALID_ARGUMENT). The audit trail keeps when it was logged.',
  })
  @IsOptional()
  @Instant()
  receivedAt?: string;

  @ApiPropertyOptional({ description: 'Staff id of the owner; by default whoever acknowledges it.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  ownerId?: string;

  @ApiPropertyOptional({
    enum: OWNER_ROLES,
    description:
      "The owner's role, with `ownerId` (as an assignment gives it): escalations notify the manager above it.",
  })
  @ValidateIf((request: OpenComplaintDto) => request.ownerId !== undefined || request.ownerRole !== undefined)
  @IsIn(OWNER_ROLES, { message: 'ownerRole must be one of: $constraint1 (given with ownerId)' })
  @OwnerRoleWithOwner()
  ownerRole?: (typeof OWNER_ROLES)[number];
}
