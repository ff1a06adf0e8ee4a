import { Body, Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Public } from '@loyalty/auth';
import { SurveysErrorFilter } from '../surveys-error.filter';
import { AnswerService } from './answer.service';

/** What the guest's survey link opens: no login, the single-use signed token is the credential. */
@ApiTags('survey (public)')
@Public()
@UseFilters(SurveysErrorFilter)
@Controller('survey')
export class SurveyController {
  constructor(private readonly answers: AnswerService) {}

  @Get(':token')
  @ApiOkResponse({
    description: 'The questions in the guest’s language, with scales and which are required.',
  })
  @ApiNotFoundResponse({ description: 'SURVEY_TOKEN_INVALID' })
  @ApiGoneResponse({ description: 'SURVEY_TOKEN_EXPIRED or SURVEY_WITHDRAWN' })
  @ApiConflictResponse({ description: 'SURVEY_ALREADY_ANSWERED' })
  survey(@Param('token') token: string) {
    return this.answers.survey(token);
  }

  @Post(':token/answers')
  @HttpCode(201)
  @ApiCreatedResponse({
    description:
      '`{ answers: { <question id>: value } }` accepted. Skipping the recommend question is allowed: the ' +
      'answer counts as a response but not in NPS.',
  })
  @ApiUnprocessableEntityResponse({
    description: 'SURVEY_ANSWERS_INVALID with `errors: [{ question, reason }]`',
  })
  @ApiGoneResponse({ description: 'SURVEY_TOKEN_EXPIRED or SURVEY_WITHDRAWN' })
  @ApiConflictResponse({ description: 'SURVEY_ALREADY_ANSWERED: a link works once' })
  answer(@Param('token') token: string, @Body() body: unknown) {
    return this.answers.answer(token, body);
  }
}
