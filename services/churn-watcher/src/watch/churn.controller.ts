import { Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import {
  assertChainWide,
  assertGuestInScope,
  CurrentPrincipal,
  Roles,
  type Principal,
  type Role,
} from '@loyalty/auth';
import { Clock, UUID_PARAM, validRequest } from '@loyalty/platform';
import { parseAlertCursor } from './alert-cursor';
import { ChurnSchedulerService } from './churn-scheduler.service';
import { AlertPageQueryDto } from './dto/alert-page-query.dto';
import { PageQueryDto } from './dto/page-query.dto';
import { EpisodeStore } from './episode-store';
import { scopeParameter } from './guest-scope';
import { GuestScoreService } from './guest-score.service';
import { ModelStore } from './model-store';
import { VisitStore } from './visit-store';

const READERS: Role[] = ['chain-admin', 'property-manager', 'analyst', 'service'];

@ApiTags('churn')
@ApiBearerAuth()
@Controller('churn')
export class ChurnController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scores: GuestScoreService,
    private readonly episodes: EpisodeStore,
    private readonly models: ModelStore,
    private readonly visits: VisitStore,
    private readonly scheduler: ChurnSchedulerService,
    private readonly clock: Clock,
  ) {}

  @Get('guests/:guestId')
  @Roles(...READERS)
  @ApiOkResponse({
    description:
      "The guest's visits, probability alive, expected interval and stays, open alert. A guest whose every stay is at 0 nights has no visit: an alert still open is shown, with the visit figures and the model null. A guest who objects to profiling is not scored: the visits, with the model null.",
  })
  @ApiNotFoundResponse({
    description: 'No visit and no open alert of this guest (a chain-wide token).',
  })
  @ApiForbiddenResponse({
    description: "PROPERTY_OUT_OF_SCOPE: no stay of the guest at the token's properties has been seen.",
  })
  async guest(@Param('guestId', UUID_PARAM) guestId: string, @CurrentPrincipal() principal: Principal) {
    // Scope first: scoring is the expensive part, and it is of no use to a caller who may not see the guest.
    assertGuestInScope(principal, await this.visits.propertiesStayedAt(this.dataSource.manager, guestId));
    const score = await this.scores.score(guestId, this.clock.now());
    if (!score)
      throw new NotFoundException({ code: 'GUEST_NOT_FOUND', message: `no visits of guest ${guestId}` });
    return score;
  }

  @Get('alerts')
  @Roles(...READERS)
  @ApiOkResponse({
    description:
      "Open lapse alerts, newest first (those opened at one instant by id): a property-scoped token's are " +
      'those of guests who stayed at its properties. `{ items, nextCursor }`: pass `nextCursor` as `cursor` ' +
      'for the next page; null on the last. An alert opened while someone pages comes before their first ' +
      'page, so none is repeated or skipped.',
  })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: a `limit` out of 1-500, or a `cursor` this list did not hand out.',
  })
  async alerts(@Query(validRequest) page: AlertPageQueryDto, @CurrentPrincipal() principal: Principal) {
    // The DTO refused any cursor this list did not hand out.
    const after = page.cursor ? parseAlertCursor(page.cursor) : null;
    return this.episodes.page(this.dataSource.manager, scopeParameter(principal), page.limit, after);
  }

  @Get('models')
  @Roles(...READERS)
  @ApiOkResponse({
    description: 'Every fitted parameter set with its log-likelihood, data size and time, newest first.',
  })
  @ApiForbiddenResponse({ description: 'PROPERTY_OUT_OF_SCOPE: the token is not chain-wide.' })
  async fittedModels(@Query(validRequest) page: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    assertChainWide(principal, 'reading the fitted models');
    return { items: await this.models.page(this.dataSource.manager, page.limit, page.offset), ...page };
  }

  /** Runs the scheduled jobs that are due now (operators, and tests with a moved clock). */
  @Post('operations/run-due')
  @HttpCode(200)
  @Roles('chain-admin', 'service')
  @ApiOkResponse({ description: 'Which jobs ran and what they did.' })
  @ApiForbiddenResponse({ description: 'PROPERTY_OUT_OF_SCOPE: the token is not chain-wide.' })
  async runDue(@CurrentPrincipal() principal: Principal) {
    assertChainWide(principal, 'a scheduled run');
    return { reports: await this.scheduler.runDue(this.clock.now()) };
  }

  /** Refits the models and scans every guest now, whatever the schedule (after loading a history of stays). */
  @Post('operations/run-now')
  @HttpCode(200)
  @Roles('chain-admin', 'service')
  @ApiOkResponse({ description: 'What the refit and the scan did.' })
  @ApiForbiddenResponse({ description: 'PROPERTY_OUT_OF_SCOPE: the token is not chain-wide.' })
  async runNow(@CurrentPrincipal() principal: Principal) {
    assertChainWide(principal, 'a refit and scan');
    return { reports: await this.scheduler.runNow(this.clock.now()) };
  }
}
