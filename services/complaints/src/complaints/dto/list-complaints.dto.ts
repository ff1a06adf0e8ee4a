import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { COMPLAINT_CATEGORIES } from '@loyalty/contracts';
import { CanonicalUuid } from '@loyalty/platform';
import { COMPLAINT_STATUSES, type ComplaintCategory, type ComplaintStatus } from '../../domain';
import { CURSOR_REFUSED, parseCursor, type CursorKind } from '../page';

/**
 * `limit` and `cursor` of a list sorted by `kind`. A cursor from another list, or made up, is refused with
 * the other invalid fields, instead of reaching Postgres as a value it cannot cast.
 */
export function PageQuery(kind: CursorKind) {
  class PageQueryDto {
    @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(200)
    limit?: number;

    @ApiPropertyOptional({ description: '`nextCursor` of the previous page of this list.' })
    @IsOptional()
    @IsString()
    @MaxLength(200)
    @ValidateBy(
      {
        name: 'isCursor',
        validator: { validate: (value) => typeof value === 'string' && parseCursor(value, kind) !== null },
      },
      { message: CURSOR_REFUSED },
    )
    cursor?: string;
  }
  return PageQueryDto;
}

export class ListComplaintsDto extends PageQuery('instant') {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES })
  @IsOptional()
  @IsIn(COMPLAINT_STATUSES)
  status?: ComplaintStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  propertyId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  @CanonicalUuid()
  guestId?: string;

  @ApiPropertyOptional({ enum: COMPLAINT_CATEGORIES })
  @IsOptional()
  @IsIn(COMPLAINT_CATEGORIES)
  category?: ComplaintCategory;
}
