import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { COMPLAINT_CATEGORIES, COMPLAINT_SEVERITIES, RESOLUTIONS } from '@loyalty/contracts';
import { CanonicalUuid } from '@loyalty/platform';
import { MAX_ESCALATION_LEVEL, type ComplaintCategory, type Severity } from '../../domain';
import type { Resolution } from '../complaint-command';

export class ResolveDto {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution: Resolution;

  @ApiProperty({ description: 'What was done; a resolution needs a note.' })
  @IsString()
  @IsNotEmpty({ message: 'note must say what was done: a resolution needs a note' })
  @MaxLength(4000)
  note: string;
}

export class CloseDto {
  @ApiProperty({
    minimum: 1,
    maximum: 5,
    description: "The guest's satisfaction with the handling, from the follow-up.",
  })
  @IsInt({ message: 'satisfaction must be the follow-up answer, a whole number from 1 to 5' })
  @Min(1, { message: 'satisfaction must be the follow-up answer, a whole number from 1 to 5' })
  @Max(5, { message: 'satisfaction must be the follow-up answer, a whole number from 1 to 5' })
  satisfaction: number;
}

export class ReasonDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class ReclassifyDto extends ReasonDto {
  @ApiPropertyOptional({ enum: COMPLAINT_SEVERITIES, description: 'The new severity; by default the same.' })
  @IsOptional()
  @IsIn(COMPLAINT_SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({
    enum: COMPLAINT_CATEGORIES,
    description:
      'The new category, with the aspect of the stay it implies (`other` keeps the aspect); by default the ' +
      'same. A reclassification names a severity, a category or both.',
  })
  @ValidateIf((request: ReclassifyDto) => request.category !== undefined || request.severity === undefined)
  @IsIn(COMPLAINT_CATEGORIES, {
    message: `category must be one of ${COMPLAINT_CATEGORIES.join(', ')}; a reclassification names a severity, a category or both`,
  })
  category?: ComplaintCategory;
}

export class DuplicateDto {
  @ApiProperty({ format: 'uuid', description: 'The complaint this one repeats.' })
  @IsUUID()
  @CanonicalUuid()
  duplicateOf: string;
}

export const OWNER_ROLES = ['front-desk', 'property-manager'] as const;

export class AssignDto {
  @ApiProperty({ description: 'Staff id of the new owner.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  ownerId: string;

  @ApiProperty({ enum: OWNER_ROLES, description: 'Their role: escalations notify the manager above it.' })
  @IsIn(OWNER_ROLES)
  ownerRole: (typeof OWNER_ROLES)[number];
}

export const MANUAL_ESCALATION_REASONS = ['severity', 'guest-request', 'manual'] as const;

export class EscalateDto {
  @ApiProperty({ enum: MANUAL_ESCALATION_REASONS })
  @IsIn(MANUAL_ESCALATION_REASONS)
  reason: (typeof MANUAL_ESCALATION_REASONS)[number];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_ESCALATION_LEVEL - 1,
    description:
      'The escalation level the caller saw. Given, a complaint escalated since (a retry after a lost answer, ' +
      'a colleague at the same moment) is not raised again: 409 ESCALATION_LEVEL_CHANGED with its level.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ESCALATION_LEVEL - 1)
  fromLevel?: number;
}
