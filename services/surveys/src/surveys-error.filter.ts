import { HttpStatus } from '@nestjs/common';
import { codedErrorFilter } from '@loyalty/platform';
import { SurveysError, SurveysErrorCode } from './surveys-error';

const STATUS: Record<SurveysErrorCode, HttpStatus> = {
  [SurveysErrorCode.SURVEY_TOKEN_INVALID]: HttpStatus.NOT_FOUND,
  [SurveysErrorCode.SURVEY_TOKEN_EXPIRED]: HttpStatus.GONE,
  [SurveysErrorCode.SURVEY_WITHDRAWN]: HttpStatus.GONE,
  [SurveysErrorCode.SURVEY_ALREADY_ANSWERED]: HttpStatus.CONFLICT,
  [SurveysErrorCode.SURVEY_ANSWERS_INVALID]: HttpStatus.UNPROCESSABLE_ENTITY,
  [SurveysErrorCode.TEMPLATE_INVALID]: HttpStatus.UNPROCESSABLE_ENTITY,
  [SurveysErrorCode.TIME_ZONE_UNKNOWN]: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** A surveys rule's refusal as JSON with its code, message and details (e.g. `errors` per question). */
export const SurveysErrorFilter = codedErrorFilter(SurveysError, STATUS);
