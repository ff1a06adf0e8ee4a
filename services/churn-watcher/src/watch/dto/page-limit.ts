import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_LIMIT = 50;

/**
 * How many items a page of a list holds. A decorator rather than a base class: fields inherited from one
 * would be validated after the list's own, changing the order a refusal names them in.
 */
export function PageLimit(): PropertyDecorator {
  // Listed bottom up, the order stacked decorators run in, so a refusal gives its reasons as it always has.
  return applyDecorators(
    Max(500),
    Min(1),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional({ default: DEFAULT_PAGE_LIMIT, minimum: 1, maximum: 500 }),
  );
}
