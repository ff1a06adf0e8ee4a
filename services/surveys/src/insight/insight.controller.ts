import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Clock, validRequest } from '@loyalty/platform';
import {
  assertChainWide,
  assertPropertyInScope,
  CurrentPrincipal,
  Roles,
  type Principal,
} from '@loyalty/auth';
import { InsightQueryDto, TrendQueryDto } from './dto/insight-query.dto';
import { InsightService, type InsightTarget } from './insight.service';

@ApiTags('insight')
@ApiBearerAuth()
@Roles('property-manager', 'analyst', 'service')
@Controller('insight')
export class InsightController {
  constructor(
    private readonly insight: InsightService,
    private readonly clock: Clock,
  ) {}

  @Get('nps')
  @ApiOkResponse({
    description:
      'NPS (% promoters − % detractors) with answers and 95% margin of error, responses, response rate, CSAT, ' +
      'service-quality and department averages. Skipped recommend answers count as responses, not in NPS.',
  })
  async nps(@CurrentPrincipal() principal: Principal, @Query(validRequest) q: InsightQueryDto) {
    return this.insight.nps(await this.target(principal, q));
  }

  @Get('nps/trend')
  @ApiOkResponse({ description: 'The NPS figures for consecutive periods, oldest first.' })
  async trend(@CurrentPrincipal() principal: Principal, @Query(validRequest) q: TrendQueryDto) {
    return this.insight.trend(await this.target(principal, q), Number(q.periods ?? 6));
  }

  @Get('drivers')
  @ApiOkResponse({
    description: 'Dimensions by correlation of their score with the recommend score, with the fitted slope.',
  })
  async drivers(@CurrentPrincipal() principal: Principal, @Query(validRequest) q: InsightQueryDto) {
    return this.insight.drivers(await this.target(principal, q));
  }

  /** A property needs it in scope; a brand or the chain spans properties, so it needs the chain-wide scope. */
  private async target(principal: Principal, q: InsightQueryDto): Promise<InsightTarget> {
    if (q.scope === 'property') assertPropertyInScope(principal, q.id as string);
    else assertChainWide(principal, `a ${q.scope} view`);
    const target = { scope: q.scope, id: q.id, period: q.period };
    return { ...target, date: q.date ?? (await this.insight.today(target, this.clock.now())) };
  }
}
