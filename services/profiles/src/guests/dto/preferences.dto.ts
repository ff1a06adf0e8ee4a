import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  CONSENT_CAPTURE_CHANNELS,
  CONSENT_CHANNELS,
  CONSENT_PURPOSES,
  PREFERENCE_GROUPS,
} from '../../domain/preferences';

export class PreferenceGroupDto {
  @ApiProperty({ example: 'bed' }) @IsString() @MaxLength(50) group: string;
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

  /**
   * Accepted for the clients that send it, `stated` only: `learned` values are what stays show, and the next
   * stay replaces them, so a need written as learned (a wheelchair) would silently disappear.
   */
  @ApiPropertyOptional({
    enum: ['stated'],
    deprecated: true,
    description: 'Always `stated`; may be left out.',
  })
  @IsOptional()
  @IsIn(['stated'], { message: 'source must be "stated": learned preferences come only from stays' })
  source?: 'stated';
}

export class RecordConsentDto {
  @ApiProperty({ enum: CONSENT_PURPOSES }) @IsIn(CONSENT_PURPOSES) purpose: string;
  @ApiProperty({ enum: CONSENT_CHANNELS }) @IsIn(CONSENT_CHANNELS) channel: string;
  @ApiProperty() @IsIn([true, false]) granted: boolean;
  /** Named `source` for the clients that send it; the consent's recorder is always the caller. */
  @ApiPropertyOptional({ enum: CONSENT_CAPTURE_CHANNELS, description: 'How the consent was captured.' })
  @IsOptional()
  @IsIn(CONSENT_CAPTURE_CHANNELS)
  source?: (typeof CONSENT_CAPTURE_CHANNELS)[number];
}
