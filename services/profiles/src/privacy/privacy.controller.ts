import { Body, Controller, Get, Headers, Param, Post, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UUID_PARAM, validRequest } from '@loyalty/platform';
import { CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { EraseGuestDto } from '../guests/dto/merge.dto';
import { ProfilesExceptionFilter } from '../guests/profiles-exception.filter';
import { AccessLog, ACCESS_REASON_HEADER, RequiresAccessReason } from './access-log';
import { PrivacyService } from './privacy.service';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('guests/:guestId')
@UseFilters(ProfilesExceptionFilter)
@UsePipes(validRequest)
export class PrivacyController {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly accessLog: AccessLog,
  ) {}

  /** Everything profiles holds about the guest, as JSON (subject access request). */
  @Get('export')
  @Roles('chain-admin', 'property-manager')
  @RequiresAccessReason()
  export(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', UUID_PARAM) guestId: string,
    @Headers(ACCESS_REASON_HEADER) reason: string | undefined,
  ) {
    return this.privacy.export(principal, guestId, this.accessLog.requireReason(reason));
  }

  @Post('erasure')
  @Roles('chain-admin')
  erase(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body() dto: EraseGuestDto,
  ) {
    return this.privacy.erase(principal, guestId, dto.reason);
  }
}
