import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_LIMIT, PageLimit } from './page-limit';

/**
 * Deepest offset a page starts at. A million rows skipped is already far past what anyone pages through
 * (they filter instead) and a cost Postgres pays on every such page; a larger offset would reach Postgres
 * beyond bigint and fail the query as a 500.
 */
export const MAX_OFFSET = 1_000_000;

/**
 * A page by offset, for the fitted models: a few rows per refit, so the list stays short. A refit while
 * someone pages adds models before their first page, so a page may repeat a few of the previous one's;
 * models are never deleted, so none is skipped.
 */
export class PageQueryDto {
  @PageLimit()
  limit = DEFAULT_PAGE_LIMIT;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset = 0;
}
