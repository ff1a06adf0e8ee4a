import { Controller, Get, Headers, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertChainWide, CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { isLocalDate } from '@loyalty/contracts';
import { SUPPORTED_YEARS } from '@loyalty/time';
import { ProfilesExceptionFilter } from '../guests/profiles-exception.filter';
import { ProfilesException } from '../identity/merge.exception';
import { AccessLog, ACCESS_REASON_HEADER, RequiresAccessReason } from '../privacy/access-log';
import { ArrivalsService } from './arrivals.service';
import { SegmentsService } from './segments.service';

@ApiTags('insights')
@ApiBearerAuth()
@Controller()
@UseFilters(ProfilesExceptionFilter)
export class InsightsController {
  constructor(
    private readonly arrivals: ArrivalsService,
    private readonly segments: SegmentsService,
    private readonly accessLog: AccessLog,
  ) {}

  @Get('properties/:propertyId/arrivals')
  @Roles('chain-admin', 'property-manager', 'front-desk')
  @RequiresAccessReason()
  brief(
    @CurrentPrincipal() principal: Principal,
    @Param('propertyId') propertyId: string,
    @Query('date') date: string | undefined,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
  ) {
    if (!isLocalDate(date)) {
      throw new ProfilesException(
        'INVALID_REQUEST',
        `date must be a calendar date given as YYYY-MM-DD, in the years ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`,
      );
    }
    return this.arrivals.brief(principal, propertyId, date, this.accessLog.requireReason(reason));
  }

  @Post('segments/recompute')
  @Roles('chain-admin', 'analyst')
  recompute(@CurrentPrincipal() principal: Principal) {
    // Rescores (and locks) every guest of the chain and answers the chain's count: not a property's to start.
    assertChainWide(principal, 'recomputing segments');
    return this.segments.recompute();
  }
}
