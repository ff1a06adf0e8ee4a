import { ApiProperty } from '@nestjs/swagger';
import { LocalDate } from '@loyalty/contracts';

export class ArrivalsQueryDto {
  @ApiProperty({ format: 'date', example: '2026-05-01', description: "The arrival day, the property's own." })
  @LocalDate()
  date: string;
}
