import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../complaints/dto/list-complaints.dto';

/** An insight's window and property; its cursor is that of `repeat-complainants`, the one insight that is a list. */
export class InsightQueryDto extends PageQuery('count') {
  @ApiPropertyOptional({ description: 'Start of the window (inclusive); default 90 days before `to`.' })
  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO-8601 date or instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the window (exclusive); default now.' })
  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO-8601 date or instant' })
  to?: string;

  @ApiPropertyOptional({ description: 'One property; by default every property in the token scope.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  propertyId?: string;
}
