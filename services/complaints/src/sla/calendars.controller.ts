import { Body, Controller, Get, NotFoundException, Param, Put, Query, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { assertPropertyInScope, CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { Clock, PROPERTY_PARAM, validRequest } from '@loyalty/platform';
import { actorOf, ComplaintErrorFilter } from '../complaints/http-edge';
import { DEFAULT_SLA_POLICIES, FALLBACK_SLA_POLICY } from '../domain';
import { CalendarChangesQueryDto } from './dto/calendar-changes.dto';
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
  async get(
    @Param('propertyId', PROPERTY_PARAM) propertyId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
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
  @ApiBody({ type: CalendarDto })
  @ApiOkResponse({ description: 'Business hours and holidays for timers started from now on.' })
  @ApiUnprocessableEntityResponse({
    description: 'INVALID_CALENDAR naming the wrong field (`field`), an unknown one included.',
  })
  async put(
    @Param('propertyId', PROPERTY_PARAM) propertyId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, propertyId);
    const calendar = await this.dataSource.transaction((manager) =>
      this.calendars.put(manager, propertyId, body, actorOf(principal), this.clock.now()),
    );
    return { propertyId, ...calendar };
  }

  @Get('properties/:propertyId/calendar/changes')
  @Roles('property-manager')
  @ApiOkResponse({
    description:
      'Every change of the calendar, oldest first, with `nextCursor`: who (`actor`, `actorRoles`), when, ' +
      'before, after.',
  })
  changes(
    @Param('propertyId', PROPERTY_PARAM) propertyId: string,
    @Query(validRequest) query: CalendarChangesQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, propertyId);
    return this.calendars.changes(this.dataSource.manager, propertyId, query);
  }
}
