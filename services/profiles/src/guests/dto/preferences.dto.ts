import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, ValidateNested } from 'class-validator';
import { CONSENT_CHANNELS, CONSENT_PURPOSES, PREFERENCE_SOURCES } from '../../domain/preferences';

export class PreferenceGroupDto {
  @ApiProperty({ example: 'bed' }) @IsString() group: string;
  @ApiProperty({ example: ['king'] }) @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) values: string[];
}

export class SetPreferencesDto {
  @ApiProperty({ type: [PreferenceGroupDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PreferenceGroupDto)
  preferences: PreferenceGroupDto[];

  @ApiPropertyOptional({ enum: PREFERENCE_SOURCES })
  @IsOptional()
  @IsIn(PREFERENCE_SOURCES)
  source?: (typeof PREFERENCE_SOURCES)[number];
}

export class RecordConsentDto {
  @ApiProperty({ enum: CONSENT_PURPOSES }) @IsIn(CONSENT_PURPOSES) purpose: string;
  @ApiProperty({ enum: CONSENT_CHANNELS }) @IsIn(CONSENT_CHANNELS) channel: string;
  @ApiProperty() @IsIn([true, false]) granted: boolean;
  @ApiPropertyOptional({ example: 'front-desk' }) @IsOptional() @IsString() source?: string;
}
