export enum SurveysErrorCode {
  SURVEY_TOKEN_INVALID = 'SURVEY_TOKEN_INVALID',
  SURVEY_TOKEN_EXPIRED = 'SURVEY_TOKEN_EXPIRED',
  SURVEY_ALREADY_ANSWERED = 'SURVEY_ALREADY_ANSWERED',
  SURVEY_WITHDRAWN = 'SURVEY_WITHDRAWN',
  SURVEY_ANSWERS_INVALID = 'SURVEY_ANSWERS_INVALID',
  TEMPLATE_INVALID = 'TEMPLATE_INVALID',
  TIME_ZONE_UNKNOWN = 'TIME_ZONE_UNKNOWN',
}

/** A refusal by a surveys rule, with its code; mapped to an HTTP status only at the edge. */
export class SurveysError extends Error {
  constructor(
    readonly code: SurveysErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
