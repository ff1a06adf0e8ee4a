import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  Headers,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  UseFilters,
  UsePipes,
} from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { validRequest } from '@loyalty/platform';
import { CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { AccessLog, ACCESS_REASON_HEADER, RequiresAccessReason } from '../privacy/access-log';
import { RecordConsentDto, SetPreferencesDto } from './dto/preferences.dto';
import { UpdateContactsDto } from './dto/update-contacts.dto';
import { GuestsService } from './guests.service';
import { ProfilesExceptionFilter } from './profiles-exception.filter';

const STAFF = ['chain-admin', 'property-manager', 'front-desk'] as const;

@ApiTags('guests')
@ApiBearerAuth()
@Controller('guests')
@UseFilters(ProfilesExceptionFilter)
@UsePipes(validRequest)
export class GuestsController {
  constructor(
    private readonly guests: GuestsService,
    private readonly accessLog: AccessLog,
  ) {}

  @Get()
  @Roles(...STAFF)
  @RequiresAccessReason()
  @ApiQuery({
    name: 'name',
    required: false,
    description: 'family name; one of name, email, phone, loyaltyNumber',
  })
  @ApiQuery({ name: 'email', required: false })
  @ApiQuery({ name: 'phone', required: false })
  @ApiQuery({ name: 'loyaltyNumber', required: false })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false, description: 'at most 100' })
  search(
    @CurrentPrincipal() principal: Principal,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Query('name') name?: string,
    @Query('email') email?: string,
    @Query('phone') phone?: string,
    @Query('loyaltyNumber') loyaltyNumber?: string,
    @Query('page', new DefaultValuePipe(1), ParseIntPipe) page = 1,
    @Query('pageSize', new DefaultValuePipe(20), ParseIntPipe) pageSize = 20,
  ) {
    return this.guests.search(
      principal,
      {
        name,
        email,
        phone,
        loyaltyNumber,
        page: Math.max(1, page),
        pageSize: Math.min(100, Math.max(1, pageSize)),
      },
      this.accessLog.requireReason(reason),
    );
  }

  @Get(':guestId')
  @Roles(...STAFF)
  @RequiresAccessReason()
  profile(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', ParseUUIDPipe) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
  ) {
    return this.guests.profile(principal, guestId, this.accessLog.requireReason(reason));
  }

  @Patch(':guestId/contacts')
  @Roles(...STAFF)
  @RequiresAccessReason()
  updateContacts(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', ParseUUIDPipe) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Body() dto: UpdateContactsDto,
  ) {
    return this.guests.updateContacts(principal, guestId, dto, this.accessLog.requireReason(reason));
  }

  @Put(':guestId/preferences')
  @Roles(...STAFF)
  @RequiresAccessReason()
  setPreferences(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', ParseUUIDPipe) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Body() dto: SetPreferencesDto,
  ) {
    return this.guests.setPreferences(principal, guestId, dto, this.accessLog.requireReason(reason));
  }

  @Post(':guestId/consents')
  @Roles(...STAFF)
  @RequiresAccessReason()
  recordConsent(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', ParseUUIDPipe) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Body() dto: RecordConsentDto,
  ) {
    return this.guests.recordConsent(principal, guestId, dto, this.accessLog.requireReason(reason));
  }

  @Get(':guestId/access-log')
  @Roles('chain-admin')
  accessHistory(@Param('guestId', ParseUUIDPipe) guestId: string) {
    return this.guests.accessHistory(guestId);
  }
}
