import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import {
  CONSENT_CHANNELS,
  CONSENT_PURPOSES,
  PREFERENCE_GROUPS,
  PREFERENCE_SOURCES,
} from '../../domain/preferences';

export class PreferenceGroupDto {
  @ApiProperty({ example: 'bed' }) @IsString() group: string;
  @ApiProperty({ example: ['king'] }) @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) values: string[];
}

/**
 * The most groups one body may name, each once: every group is written under the guest's row lock, so a
 * longer body (the same group over and over) would only hold the lock longer.
 */
const GROUPS = Object.keys(PREFERENCE_GROUPS).length;

export class SetPreferencesDto {
  @ApiProperty({ type: [PreferenceGroupDto], description: 'Each group at most once.' })
  @IsArray()
  @ArrayMaxSize(GROUPS, { message: `preferences must name at most ${GROUPS} groups, each once` })
  @ArrayUnique((preference: PreferenceGroupDto) => preference.group, {
    message: 'preferences must name each group at most once',
  })
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
