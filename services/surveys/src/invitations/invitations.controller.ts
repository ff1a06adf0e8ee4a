import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Clock, operationInstant, validRequest } from '@loyalty/platform';
import {
  assertChainWide,
  assertPropertyInScope,
  CurrentPrincipal,
  propertyScopeFilter,
  Roles,
  type Principal,
} from '@loyalty/auth';
import { SurveysConfig } from '../config/surveys.config';
import { ListInvitationsQueryDto, SendDueQueryDto } from './dto/invitation-queries.dto';
import { parseInvitationCursor } from './invitation-cursor';
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
 * The list's body has been a bare array since before it was paged: the cursor goes in a header, so clients
 * reading the array keep working and read the newest page as before.
 */
const NEXT_CURSOR = 'Next-Cursor';

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
    private readonly config: SurveysConfig,
  ) {}

  @Get()
  @Roles('property-manager', 'service')
  @ApiOkResponse({
    description:
      'Invitations newest first, with channel, language and skip reason. Only the messaging provider ' +
      '(`service` role) gets each answer `link`: it is the guest’s credential, and staff holding it could ' +
      'answer as the guest. The body is the page’s array; the cursor of the next page is in `Next-Cursor`.',
    headers: {
      [NEXT_CURSOR]: {
        description: 'Pass as `cursor` (with the same filters) for the next page; absent on the last page.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: a `limit` out of 1-1000, or a `cursor` not handed out.',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(validRequest) q: ListInvitationsQueryDto,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): unknown },
  ) {
    if (q.propertyId) assertPropertyInScope(principal, q.propertyId);
    const page = await this.invitations.list({
      state: q.state ?? 'sent',
      properties: q.propertyId ? [q.propertyId] : propertyScopeFilter(principal),
      limit: q.limit ?? 100,
      // The DTO refused any cursor this list did not hand out.
      after: q.cursor ? parseInvitationCursor(q.cursor) : null,
      withLinks: mayReceiveLinks(principal),
    });
    if (page.nextCursor) response.setHeader(NEXT_CURSOR, page.nextCursor);
    return page.items;
  }

  @Post('send-due')
  @HttpCode(200)
  @Roles('chain-admin', 'service')
  @ApiOkResponse({
    description:
      'Sends what is due now (or at `asOf`) at every property: `{ sent, skipped }`, and `waitingForTimeZone` ' +
      '(`[{ propertyId, timeZone }]`) when some properties wait because Postgres does not know their stored zone.',
  })
  @ApiForbiddenResponse({ description: 'PROPERTY_OUT_OF_SCOPE: the token is not chain-wide.' })
  @ApiBadRequestResponse({ description: 'AS_OF_NOT_ALLOWED: `asOf` when NODE_ENV is production.' })
  sendDue(@CurrentPrincipal() principal: Principal, @Query(validRequest) q: SendDueQueryDto) {
    // It sends the due invitations of every property, not only those of the token's.
    assertChainWide(principal, 'sending invitations');
    // Without `asOf`, the sender reads the clock as each chunk starts.
    return this.sender.sendDue(
      q.asOf === undefined
        ? undefined
        : operationInstant(this.clock, this.config, q.asOf, 'invitations are sent at the current time'),
    );
  }
}
