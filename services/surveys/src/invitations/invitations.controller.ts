import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Clock, validRequest } from '@loyalty/platform';
import {
  assertPropertyInScope,
  CurrentPrincipal,
  propertyScopeFilter,
  Roles,
  type Principal,
} from '@loyalty/auth';
import { ListInvitationsQueryDto, SendDueQueryDto } from './dto/invitation-queries.dto';
import { InvitationList } from './invitation-list';
import { InvitationSender } from './invitation-sender';

/**
 * Only the messaging provider delivers links. Not even a chain admin gets them (though it passes every
 * role check): a link lets whoever holds it answer as the guest, moving a property's NPS.
 */
function mayReceiveLinks(principal: Principal): boolean {
  return principal.roles.includes('service');
}

/**
 * The invitations, for a messaging provider's operators and for local use: what was (or would be)
 * sent. Sending an email or SMS is the provider's job, from `survey-invited`.
 */
@ApiTags('invitations')
@ApiBearerAuth()
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationList,
    private readonly sender: InvitationSender,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('property-manager', 'service')
  @ApiOkResponse({
    description:
      'Invitations newest first, with channel, language and skip reason. Only the messaging provider ' +
      '(`service` role) gets each answer `link`: it is the guest’s credential, and staff holding it could ' +
      'answer as the guest.',
  })
  list(@CurrentPrincipal() principal: Principal, @Query(validRequest) q: ListInvitationsQueryDto) {
    if (q.propertyId) assertPropertyInScope(principal, q.propertyId);
    return this.invitations.list({
      state: q.state ?? 'sent',
      properties: q.propertyId ? [q.propertyId] : propertyScopeFilter(principal),
      limit: q.limit ?? 100,
      withLinks: mayReceiveLinks(principal),
    });
  }

  @Post('send-due')
  @HttpCode(200)
  @Roles('chain-admin', 'service')
  @ApiOkResponse({ description: 'Sends what is due now (or at `asOf`): `{ sent, skipped }`.' })
  sendDue(@Query(validRequest) q: SendDueQueryDto) {
    return this.sender.sendDue(q.asOf ? new Date(q.asOf) : this.clock.now());
  }
}
