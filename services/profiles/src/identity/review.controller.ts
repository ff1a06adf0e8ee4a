import { Body, Controller, Get, HttpCode, Param, Post, Query, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UUID_PARAM, validRequest } from '@loyalty/platform';
import { CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { ManualMergeDto, MergeGuestsDto } from '../guests/dto/merge.dto';
import { pageSizeOf } from '../guests/dto/page-query.dto';
import { ReviewQueueQueryDto } from '../guests/dto/review-queue-query.dto';
import { ProfilesExceptionFilter } from '../guests/profiles-exception.filter';
import { parseReviewQueueCursor } from './review-queue-page';
import { ReviewService } from './review.service';

@ApiTags('identity')
@ApiBearerAuth()
@Controller()
@UseFilters(ProfilesExceptionFilter)
@UsePipes(validRequest)
export class ReviewController {
  constructor(private readonly review: ReviewService) {}

  @Post('merges')
  @Roles('chain-admin', 'property-manager')
  merge(@CurrentPrincipal() principal: Principal, @Body() dto: ManualMergeDto) {
    const overrideReason = dto.overrideNotSamePerson ? dto.reason?.trim() : undefined;
    return this.review.merge(principal, dto.guestA, dto.guestB, overrideReason);
  }

  @Post('not-same-person')
  @HttpCode(204)
  @Roles('chain-admin', 'property-manager')
  async notSame(@CurrentPrincipal() principal: Principal, @Body() dto: MergeGuestsDto): Promise<void> {
    await this.review.notSame(principal, dto.guestA, dto.guestB);
  }

  @Get('review-queue')
  @Roles('chain-admin', 'property-manager')
  queue(@CurrentPrincipal() principal: Principal, @Query() query: ReviewQueueQueryDto) {
    const after = query.cursor === undefined ? null : parseReviewQueueCursor(query.cursor);
    return this.review.queue(principal, pageSizeOf(query), after);
  }

  @Post('review-queue/:suggestionId/merge')
  @Roles('chain-admin', 'property-manager')
  acceptSuggestion(@CurrentPrincipal() principal: Principal, @Param('suggestionId', UUID_PARAM) id: string) {
    return this.review.decide(principal, id, 'merge');
  }

  @Post('review-queue/:suggestionId/not-same')
  @Roles('chain-admin', 'property-manager')
  rejectSuggestion(@CurrentPrincipal() principal: Principal, @Param('suggestionId', UUID_PARAM) id: string) {
    return this.review.decide(principal, id, 'not-same');
  }
}
