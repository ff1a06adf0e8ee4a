import { Body, Controller, Get, NotFoundException, Param, Put, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { assertPropertyInScope, CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { Clock, validRequest } from '@loyalty/platform';
import { ComplaintErrorFilter } from '../complaints/http-edge';
import { DEFAULT_SLA_POLICIES, FALLBACK_SLA_POLICY } from '../domain';
import { CalendarDto } from './dto/calendar.dto';
import { SlaCalendars } from './sla-calendars.service';

@ApiTags('sla')
@ApiBearerAuth()
@UseFilters(ComplaintErrorFilter)
@Controller()
export class CalendarsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: SlaCalendars,
    private readonly clock: Clock,
  ) {}

  @Get('sla-policies')
  @Roles('property-manager', 'front-desk', 'analyst', 'service')
  @ApiOkResponse({ description: 'The SLA policies in the order they are tried, then the default.' })
  policies() {
    return { policies: DEFAULT_SLA_POLICIES, default: FALLBACK_SLA_POLICY };
  }

  @Get('properties/:propertyId/calendar')
  @Roles('property-manager', 'front-desk', 'analyst', 'service')
  async get(@Param('propertyId') propertyId: string, @CurrentPrincipal() principal: Principal) {
    assertPropertyInScope(principal, propertyId);
    const calendar = await this.calendars.get(this.dataSource.manager, propertyId);
    if (!calendar) {
      throw new NotFoundException({
        code: 'CALENDAR_NOT_FOUND',
        message: `property ${propertyId} has no business calendar: its SLA timers count every minute`,
      });
    }
    return calendar;
  }

  @Put('properties/:propertyId/calendar')
  @Roles('property-manager')
  @ApiOkResponse({ description: 'Business hours and holidays for timers started from now on.' })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_CALENDAR naming the wrong field.' })
  async put(
    @Param('propertyId') propertyId: string,
    @Body(validRequest) calendar: CalendarDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, propertyId);
    await this.calendars.put(this.dataSource.manager, propertyId, calendar, this.clock.now());
    return { propertyId, ...calendar };
  }
}
