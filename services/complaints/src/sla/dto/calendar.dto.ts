import { ApiProperty } from '@nestjs/swagger';
import { MAX_HOLIDAYS, type OpeningHours, type Weekday } from '../../domain';

/**
 * The body of `PUT /properties/{id}/calendar`, for the API description only: the domain's `validateCalendar`
 * checks it in full, so that every refusal is the 422 INVALID_CALENDAR naming the field the README promises,
 * and keeps only these fields.
 */
export class CalendarDto {
  @ApiProperty({ example: 'Europe/Amsterdam' })
  timeZone: string;

  @ApiProperty({
    example: { mon: { opens: '09:00', closes: '17:00' }, fri: { opens: '09:00', closes: '15:00' } },
    description: 'Local opening hours per weekday (sun..sat); a missing day is closed.',
  })
  hours: Partial<Record<Weekday, OpeningHours>>;

  @ApiProperty({
    example: ['2026-12-25'],
    maxItems: MAX_HOLIDAYS,
    description: 'Local dates on which nobody works.',
  })
  holidays: string[];
}
