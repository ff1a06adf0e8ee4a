import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { ALERT_CURSOR_LENGTH, ALERT_CURSOR_REFUSED, parseAlertCursor } from '../alert-cursor';
import { DEFAULT_PAGE_LIMIT, PageLimit } from './page-limit';

export class AlertPageQueryDto {
  @PageLimit()
  limit = DEFAULT_PAGE_LIMIT;

  // Refused here with the other invalid fields (one reason, whatever is wrong with it), instead of reaching
  // Postgres as a value it cannot cast.
  @ApiPropertyOptional({
    description: '`nextCursor` of the previous page of this list; none for the first page.',
    maxLength: ALERT_CURSOR_LENGTH,
  })
  @IsOptional()
  @ValidateBy(
    {
      name: 'isAlertCursor',
      validator: { validate: (value) => typeof value === 'string' && parseAlertCursor(value) !== null },
    },
    { message: ALERT_CURSOR_REFUSED },
  )
  cursor?: string;
}
