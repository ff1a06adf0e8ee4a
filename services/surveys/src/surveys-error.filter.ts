import { ArgumentsHost, Catch, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { SurveysError, SurveysErrorCode } from './surveys-error';

const STATUS: Record<SurveysErrorCode, HttpStatus> = {
  [SurveysErrorCode.SURVEY_TOKEN_INVALID]: HttpStatus.NOT_FOUND,
  [SurveysErrorCode.SURVEY_TOKEN_EXPIRED]: HttpStatus.GONE,
  [SurveysErrorCode.SURVEY_WITHDRAWN]: HttpStatus.GONE,
  [SurveysErrorCode.SURVEY_ALREADY_ANSWERED]: HttpStatus.CONFLICT,
  [SurveysErrorCode.SURVEY_ANSWERS_INVALID]: HttpStatus.UNPROCESSABLE_ENTITY,
  [SurveysErrorCode.TEMPLATE_INVALID]: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** A surveys rule's refusal as JSON with its code, message and details (e.g. `errors` per question). */
@Catch(SurveysError)
export class SurveysErrorFilter implements ExceptionFilter {
  catch(error: SurveysError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(STATUS[error.code])
      .json({ code: error.code, message: error.message, ...error.details });
  }
}
