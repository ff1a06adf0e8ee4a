import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { parseReviewQueueCursor, REVIEW_QUEUE_CURSOR_REFUSED } from '../../identity/review-queue-page';
import { PageSizeQueryDto } from './page-query.dto';

/** A made-up cursor is refused with the other invalid fields, instead of reaching Postgres. */
export class ReviewQueueQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({ description: '`nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  @ValidateBy(
    {
      name: 'isReviewQueueCursor',
      validator: { validate: (value) => typeof value === 'string' && parseReviewQueueCursor(value) !== null },
    },
    { message: REVIEW_QUEUE_CURSOR_REFUSED },
  )
  cursor?: string;
}
