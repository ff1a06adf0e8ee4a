import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseFilters,
  UsePipes,
} from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UUID_PARAM, validRequest } from '@loyalty/platform';
import { CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { AccessLog, ACCESS_REASON_HEADER, RequiresAccessReason } from '../privacy/access-log';
import { ACCESS_LOG_PAGE_SIZE } from '../privacy/access-log-page';
import { AccessLogQueryDto } from './dto/access-log-query.dto';
import { GuestSearchQueryDto, pageAndSize } from './dto/page-query.dto';
import { RecordConsentDto, SetPreferencesDto } from './dto/preferences.dto';
import { UpdateContactsDto } from './dto/update-contacts.dto';
import { GuestsService } from './guests.service';
import { expectedVersion } from './if-match';
import { ProfilesExceptionFilter } from './profiles-exception.filter';

const STAFF = ['chain-admin', 'property-manager', 'front-desk'] as const;

/** Optional so that clients written before it keep working; without it a write applies to any version. */
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    "The profile's `version` as last read: the write applies only at that version, else 412 " +
    '`PRECONDITION_FAILED` with `currentVersion`. Send it: without it a change made since is overwritten.',
};

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
  search(
    @CurrentPrincipal() principal: Principal,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Query() query: GuestSearchQueryDto,
  ) {
    const { name, email, phone, loyaltyNumber } = query;
    return this.guests.search(
      principal,
      { name, email, phone, loyaltyNumber, ...pageAndSize(query) },
      this.accessLog.requireReason(reason),
    );
  }

  @Get(':guestId')
  @Roles(...STAFF)
  @RequiresAccessReason()
  profile(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', UUID_PARAM) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
  ) {
    return this.guests.profile(principal, guestId, this.accessLog.requireReason(reason));
  }

  @Patch(':guestId/contacts')
  @Roles(...STAFF)
  @RequiresAccessReason()
  @ApiHeader(IF_MATCH)
  updateContacts(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', UUID_PARAM) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateContactsDto,
  ) {
    return this.guests.updateContacts(
      principal,
      guestId,
      dto,
      this.accessLog.requireReason(reason),
      expectedVersion(ifMatch),
    );
  }

  @Put(':guestId/preferences')
  @Roles(...STAFF)
  @RequiresAccessReason()
  @ApiHeader(IF_MATCH)
  setPreferences(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', UUID_PARAM) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: SetPreferencesDto,
  ) {
    return this.guests.setPreferences(
      principal,
      guestId,
      dto,
      this.accessLog.requireReason(reason),
      expectedVersion(ifMatch),
    );
  }

  @Post(':guestId/consents')
  @Roles(...STAFF)
  @RequiresAccessReason()
  recordConsent(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', UUID_PARAM) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
    @Body() dto: RecordConsentDto,
  ) {
    return this.guests.recordConsent(principal, guestId, dto, this.accessLog.requireReason(reason));
  }

  @Get(':guestId/access-log')
  @Roles('chain-admin')
  @ApiOkResponse({
    description:
      "Who read the guest's personal data, when and why: `{ items, nextCursor }`, oldest first, " +
      '`nextCursor` null on the last page.',
  })
  @ApiBadRequestResponse({
    description: '`VALIDATION_FAILED`: `limit` out of range or a `cursor` this log did not hand out',
  })
  accessHistory(@Param('guestId', UUID_PARAM) guestId: string, @Query() query: AccessLogQueryDto) {
    return this.guests.accessHistory(guestId, {
      limit: query.limit ?? ACCESS_LOG_PAGE_SIZE,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }
}
