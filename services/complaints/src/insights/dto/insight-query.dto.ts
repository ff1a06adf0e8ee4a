import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LocalDate } from '@loyalty/contracts';
import { PageQuery } from '../../complaints/dto/list-complaints.dto';

/**
 * An insight's window and property; its cursor is that of `repeat-complainants`, the one insight that is a
 * list. The window is of days, each property's own (stays end on local dates), so its bounds are dates: an
 * instant would name a different day at each property.
 */
export class InsightQueryDto extends PageQuery('count') {
  @ApiPropertyOptional({
    format: 'date',
    description: 'First day of the window, at each property; default 90 days before `to`.',
  })
  @IsOptional()
  @LocalDate()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Day after the window, at each property; default tomorrow, wherever the date turns first.',
  })
  @IsOptional()
  @LocalDate()
  to?: string;

  @ApiPropertyOptional({ description: 'One property; by default every property in the token scope.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  propertyId?: string;
}
