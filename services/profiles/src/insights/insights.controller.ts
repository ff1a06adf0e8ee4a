import { Controller, Get, Headers, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertChainWide, CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { PROPERTY_PARAM, validRequest } from '@loyalty/platform';
import { ProfilesExceptionFilter } from '../guests/profiles-exception.filter';
import { AccessLog, ACCESS_REASON_HEADER, RequiresAccessReason } from '../privacy/access-log';
import { ArrivalsService } from './arrivals.service';
import { ArrivalsQueryDto } from './dto/arrivals-query.dto';
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
    @Param('propertyId', PROPERTY_PARAM) propertyId: string,
    @Query(validRequest) { date }: ArrivalsQueryDto,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
  ) {
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
