import { Controller, Get, HttpCode, Post, Query, ValidationPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import {
  assertPropertyInScope,
  CurrentPrincipal,
  propertyScopeFilter,
  Roles,
  type Principal,
} from '@loyalty/auth';
import { Clock } from '../clock';
import { SurveysConfig } from '../config/surveys.config';
import { signSurveyToken } from '../domain/survey-token';
import { ListInvitationsQueryDto, SendDueQueryDto } from './dto/invitation-queries.dto';
import { InvitationSender } from './invitation-sender';

const query = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/**
 * The invitations, for a messaging provider's operators and for local use: what was (or would be)
 * sent, with the link. Sending an email or SMS is the provider's job, from `survey-invited`.
 */
@ApiTags('invitations')
@ApiBearerAuth()
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: InvitationSender,
    private readonly config: SurveysConfig,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('property-manager', 'service')
  @ApiOkResponse({ description: 'Invitations newest first, with channel, language, link and skip reason.' })
  async list(@CurrentPrincipal() principal: Principal, @Query(query) q: ListInvitationsQueryDto) {
    if (q.propertyId) assertPropertyInScope(principal, q.propertyId);
    const scope = q.propertyId ? [q.propertyId] : propertyScopeFilter(principal);
    const rows: (Record<string, unknown> & { surveyId: string; expiresAt: Date | null })[] =
      await this.dataSource.query(
        `select survey_id as "surveyId", guest_id as "guestId", property_id as "propertyId",
              reservation_id as "reservationId", state, skip_reason as "skipReason", channel, language,
              due_at as "dueAt", invited_at as "invitedAt", expires_at as "expiresAt", answered_at as "answeredAt"
       from invitations where state = $1 and ($2::text[] is null or property_id = any($2))
       order by coalesce(invited_at, due_at) desc limit $3`,
        [q.state ?? 'sent', scope === 'all' ? null : scope, q.limit ?? 100],
      );
    // The token is a pure function of the survey, its expiry and the secret, so it is signed again
    // rather than stored.
    return rows.map((row) => ({
      ...row,
      link: row.expiresAt
        ? this.config.SURVEYS_LINK_BASE_URL +
          signSurveyToken(
            { surveyId: row.surveyId, expiresAt: row.expiresAt },
            this.config.SURVEYS_TOKEN_SECRET,
          )
        : null,
    }));
  }

  @Post('send-due')
  @HttpCode(200)
  @Roles('chain-admin', 'service')
  @ApiOkResponse({ description: 'Sends what is due now (or at `asOf`): `{ sent, skipped }`.' })
  sendDue(@Query(query) q: SendDueQueryDto) {
    return this.sender.sendDue(q.asOf ? new Date(q.asOf) : this.clock.now());
  }
}
