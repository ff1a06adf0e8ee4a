import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import {
  ACCESS_LOG_CURSOR_REFUSED,
  ACCESS_LOG_PAGE_SIZE,
  MAX_ACCESS_LOG_PAGE_SIZE,
  parseAccessLogCursor,
} from '../../privacy/access-log-page';

/** A made-up cursor is refused with the other invalid fields, instead of reaching Postgres. */
export class AccessLogQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ACCESS_LOG_PAGE_SIZE, default: ACCESS_LOG_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ACCESS_LOG_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ValidateBy(
    {
      name: 'isAccessLogCursor',
      validator: { validate: (value) => typeof value === 'string' && parseAccessLogCursor(value) !== null },
    },
    { message: ACCESS_LOG_CURSOR_REFUSED },
  )
  cursor?: string;
}
