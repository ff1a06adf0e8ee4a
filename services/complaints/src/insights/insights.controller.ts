import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, type Role } from '@loyalty/auth';
import { Clock, validRequest } from '@loyalty/platform';
import { ComplaintErrorFilter } from '../complaints/http-edge';
import { InsightQueryDto } from './dto/insight-query.dto';
import { Insights } from './insights.service';

const ANALYSTS: Role[] = ['property-manager', 'analyst'];

@ApiTags('insights')
@ApiBearerAuth()
@UseFilters(ComplaintErrorFilter)
@Controller('insights')
export class InsightsController {
  constructor(
    private readonly insights: Insights,
    private readonly clock: Clock,
  ) {}

  @Get('complaint-rate')
  @Roles(...ANALYSTS)
  @ApiOkResponse({ description: 'Complaints per 100 stays by property and category.' })
  complaintRate(@Query(validRequest) query: InsightQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.insights.complaintRate(query, principal, this.clock.now());
  }

  @Get('pareto')
  @Roles(...ANALYSTS)
  @ApiOkResponse({
    description: 'Categories by count with cumulative share; `vitalFew` make the first 80 %.',
  })
  pareto(@Query(validRequest) query: InsightQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.insights.categoryPareto(query, principal, this.clock.now());
  }

  @Get('sla')
  @Roles(...ANALYSTS)
  @ApiOkResponse({ description: 'SLA compliance % and mean minutes to acknowledge and to resolve.' })
  sla(@Query(validRequest) query: InsightQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.insights.slaPerformance(query, principal, this.clock.now());
  }

  @Get('repeat-complainants')
  @Roles(...ANALYSTS)
  @ApiOkResponse({ description: 'Guests with more than one complaint, most first, with `nextCursor`.' })
  repeatComplainants(@Query(validRequest) query: InsightQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.insights.repeatComplainants(query, principal, this.clock.now());
  }

  @Get('recovery-rate')
  @Roles(...ANALYSTS)
  @ApiOkResponse({ description: 'Share of guests with a resolved complaint who stayed again afterwards.' })
  recoveryRate(@Query(validRequest) query: InsightQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.insights.recoveryRate(query, principal, this.clock.now());
  }
}
