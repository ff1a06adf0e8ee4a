import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsObject, IsString } from 'class-validator';
import type { OpeningHours, Weekday } from '../../domain';

/** Checked in full by the domain's `validateCalendar`, which names the wrong field. */
export class CalendarDto {
  @ApiProperty({ example: 'Europe/Amsterdam' })
  @IsString()
  timeZone: string;

  @ApiProperty({
    example: { mon: { opens: '09:00', closes: '17:00' }, fri: { opens: '09:00', closes: '15:00' } },
    description: 'Local opening hours per weekday (sun..sat); a missing day is closed.',
  })
  @IsObject()
  hours: Partial<Record<Weekday, OpeningHours>>;

  @ApiProperty({ example: ['2026-12-25'], description: 'Local dates on which nobody works.' })
  @IsArray()
  @IsString({ each: true })
  holidays: string[];
}
