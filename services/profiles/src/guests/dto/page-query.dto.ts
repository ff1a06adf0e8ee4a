import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength } from 'class-validator';

/**
 * Deepest page an offset-paged list serves. 10,000 pages of the largest size is a million rows skipped
 * for one answer, already far past what a person pages through (they narrow the search instead); and a
 * larger page would reach Postgres as an offset beyond bigint and fail the query as a 500.
 */
export const MAX_PAGE = 10_000;

/** `pageSize` of a paged list. Below 1 it is read as 1, above 100 as 100. */
export class PageSizeQueryDto {
  @ApiPropertyOptional({ default: 20, description: 'at most 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  pageSize = 20;
}

/** `page` and `pageSize` of an offset-paged list. Below 1 they are read as 1, a `pageSize` above 100 as 100. */
export class PageQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({ default: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Max(MAX_PAGE)
  page = 1;
}

export class GuestSearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'family name; one of name, email, phone, loyaltyNumber' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  // As long as staff may store them: a longer term finds no one, and only costs a blind index to say so.
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(254) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) loyaltyNumber?: string;
}

/** The page size a list serves for `query`, within its bounds. */
export function pageSizeOf(query: PageSizeQueryDto): number {
  return Math.min(100, Math.max(1, query.pageSize));
}

/** The page and page size a list serves for `query`, within their bounds. */
export function pageAndSize(query: PageQueryDto): { page: number; pageSize: number } {
  return { page: Math.max(1, query.page), pageSize: pageSizeOf(query) };
}
