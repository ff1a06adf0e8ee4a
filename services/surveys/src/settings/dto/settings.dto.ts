import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SEND_HOURS } from '../../domain/invitation-timing';
import { isQuestionText, QUESTION_TEXT_MAX_LENGTH } from '../../domain/template-validation';
import { QUESTION_KINDS, type QuestionKind } from '../../domain/templates';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class PropertySettingsDto {
  @ApiPropertyOptional({
    description:
      'The brand the property belongs to (brand NPS, recontact window, templates); a chain admin sets it.',
  })
  @IsOptional()
  @Matches(CODE, { message: 'brand must be a brand code' })
  brand?: string;

  @ApiPropertyOptional({ description: 'Share of eligible stays invited, 0 to 100.' })
  @IsOptional()
  @IsNumber({}, { message: 'samplingPercent must be a number from 0 to 100' })
  @Min(0, { message: 'samplingPercent must be a number from 0 to 100' })
  @Max(100, { message: 'samplingPercent must be a number from 0 to 100' })
  samplingPercent?: number;

  @ApiPropertyOptional({ description: 'Days after the local check-out date, 0 to 14.' })
  @IsOptional()
  @IsInt({ message: 'delayDays must be a whole number from 0 to 14' })
  @Min(0, { message: 'delayDays must be a whole number from 0 to 14' })
  @Max(14, { message: 'delayDays must be a whole number from 0 to 14' })
  delayDays?: number;

  @ApiPropertyOptional({
    description: `Local hour to send at, ${SEND_HOURS.earliest} to ${SEND_HOURS.latest} (never at night).`,
  })
  @IsOptional()
  @IsInt({ message: `sendHour must be a whole hour from ${SEND_HOURS.earliest} to ${SEND_HOURS.latest}` })
  @Min(SEND_HOURS.earliest, {
    message: `sendHour must be a whole hour from ${SEND_HOURS.earliest} to ${SEND_HOURS.latest}`,
  })
  @Max(SEND_HOURS.latest, {
    message: `sendHour must be a whole hour from ${SEND_HOURS.earliest} to ${SEND_HOURS.latest}`,
  })
  sendHour?: number;
}

export class BrandSettingsDto {
  @ApiProperty({ description: 'No second invitation to a guest within this many days.' })
  @IsInt({ message: 'recontactDays must be a whole number from 0 to 365' })
  @Min(0, { message: 'recontactDays must be a whole number from 0 to 365' })
  @Max(365, { message: 'recontactDays must be a whole number from 0 to 365' })
  recontactDays: number;
}

/** The first language whose question is no text a guest can be shown, if `texts` is an object of them. */
function firstLanguageUnfit(texts: unknown): string | undefined {
  if (typeof texts !== 'object' || texts === null) return undefined;
  return Object.entries(texts).find(([, text]) => !isQuestionText(text))?.[0];
}

export class QuestionDto {
  @ApiProperty()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'id must be lower-case letters, digits and -' })
  id: string;

  @ApiProperty({ enum: QUESTION_KINDS })
  @IsIn(QUESTION_KINDS, { message: `kind must be one of: ${QUESTION_KINDS.join(', ')}` })
  kind: QuestionKind;

  @ApiProperty() @IsBoolean({ message: 'required must be true or false' }) required: boolean;

  @ApiProperty({
    description: `The question per language, e.g. \`{ "en": "...", "zh": "..." }\`, each 1 to ${QUESTION_TEXT_MAX_LENGTH} characters.`,
  })
  @IsObject({ message: 'text must be an object of texts by language' })
  @ValidateBy(
    {
      name: 'areQuestionTexts',
      // Not an object at all is IsObject's to refuse, with its own reason.
      validator: { validate: (texts) => firstLanguageUnfit(texts) === undefined },
    },
    {
      message: ({ value }) =>
        `text.${firstLanguageUnfit(value)} must be a text of 1 to ${QUESTION_TEXT_MAX_LENGTH} characters`,
    },
  )
  text: Record<string, string>;
}

export class PublishTemplateDto {
  @ApiProperty()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'templateId must be lower-case letters, digits and -' })
  templateId: string;

  @ApiProperty({ enum: ['chain', 'brand', 'property'] })
  @IsIn(['chain', 'brand', 'property'], { message: 'scope must be one of: chain, brand, property' })
  scope: 'chain' | 'brand' | 'property';

  @ApiPropertyOptional({
    description:
      'The brand or property code; required for a brand or property template, not used for the chain.',
  })
  // Without it a brand or property template would be stored for no brand or property and never apply.
  @ValidateIf((template: PublishTemplateDto) => template.scope !== 'chain' || template.scopeId !== undefined)
  @Matches(CODE, {
    message: 'scopeId must be a brand or property code (required for a brand or property template)',
  })
  scopeId?: string;

  @ApiProperty({ type: [QuestionDto] })
  @ValidateNested({ each: true })
  @ArrayMinSize(1, { message: 'questions must list 1 to 30 questions' })
  @ArrayMaxSize(30, { message: 'questions must list 1 to 30 questions' })
  @Type(() => QuestionDto)
  questions: QuestionDto[];
}
