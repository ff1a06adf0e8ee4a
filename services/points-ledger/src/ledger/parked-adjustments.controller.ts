import { Body, Controller, Get, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { validRequest } from '@loyalty/platform';
import {
  DiscardParkedAdjustmentDto,
  ParkedAdjustmentsQueryDto,
  RestoreDiscardedAdjustmentDto,
} from './dto/parked-adjustments.dto';
import { LedgerErrorFilter } from './ledger-error.filter';
import { ParkedAdjustmentsService } from './parked-adjustments.service';

/**
 * Chain-admin tools for stay adjustments still parked: see why each waits, discard one that never applies,
 * and undo a discard made by mistake.
 */
@ApiTags('operations')
@ApiBearerAuth()
@UseFilters(LedgerErrorFilter)
@Controller('operations/parked-adjustments')
export class ParkedAdjustmentsController {
  constructor(private readonly parked: ParkedAdjustmentsService) {}

  @Get()
  @Roles('chain-admin')
  @ApiOkResponse({
    description:
      'Parked stay adjustments, oldest first: by when each was first parked (a restored one where it was ' +
      'before its discard). `limit` ≤ 100; `nextCursor` for the next page, null on the last: a page can ' +
      'be short of `limit`, even empty, while a transaction parking an adjustment is still committing, ' +
      'so follow it until null. Each has `stayKey`, ' +
      '`adjustmentKey`, `parkedAt`, the event as received, `accountId` (the account it would apply to, ' +
      'null while its stay is not credited) and `parkedBecause`: `stay-not-credited`, ' +
      '`awaiting-reactivation` (a suspended account), `on-closed-account` (never applies) or ' +
      '`awaiting-job` (an active account: the `apply-parked-adjustments` job applies it, and one it cannot ' +
      'apply stays, with a warning on every run).',
  })
  @ApiBadRequestResponse({ description: '`VALIDATION_FAILED`; `INVALID_CURSOR`.' })
  list(@Query(validRequest) query: ParkedAdjustmentsQueryDto) {
    return this.parked.list({
      ...(query.stayKey ? { stayKey: query.stayKey } : {}),
      ...(query.guestId ? { guestId: query.guestId } : {}),
      ...(query.parkedBecause ? { parkedBecause: query.parkedBecause } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      limit: query.limit ?? 50,
    });
  }

  @Post('discard')
  @HttpCode(200)
  @Roles('chain-admin')
  @ApiOkResponse({
    description:
      'Discarded: moved, with its event as received, to `discarded_stay_adjustments` with `reason`, ' +
      '`discardedBy` (staff id and roles) and `discardedAt`; never applied afterwards, even if its stay ' +
      'or the event comes again. A discard asked again answers the record of the first, changing nothing.',
  })
  @ApiBadRequestResponse({
    description: '`VALIDATION_FAILED`: `stayKey`, `adjustmentKey` and `reason` are required.',
  })
  @ApiNotFoundResponse({
    description:
      '`PARKED_ADJUSTMENT_NOT_FOUND`: no such adjustment is parked for the stay, nor was one discarded ' +
      '(`applied`: true when it was applied, perhaps while the discard waited for it).',
  })
  discard(@Body(validRequest) request: DiscardParkedAdjustmentDto, @CurrentPrincipal() principal: Principal) {
    return this.parked.discard(request.stayKey, request.adjustmentKey, {
      reason: request.reason,
      staffId: principal.sub,
      roles: principal.roles,
    });
  }

  @Post('restore')
  @HttpCode(200)
  @Roles('chain-admin')
  @ApiOkResponse({
    description:
      'The last discard of the adjustment undone: parked again, as received and when, it applies as a ' +
      'parked adjustment does (by the next run of the `apply-parked-adjustments` job, once a minute, when ' +
      'its stay is credited to an active account) or waits where the discard found it. The discard record ' +
      'is answered with ' +
      '`restored` (`reason`, `by`: staff id and roles, `at`); the reconciliation no longer counts it. A ' +
      'restore asked again answers that record, changing nothing.',
  })
  @ApiBadRequestResponse({
    description: '`VALIDATION_FAILED`: `stayKey`, `adjustmentKey` and `reason` are required.',
  })
  @ApiNotFoundResponse({ description: '`DISCARDED_ADJUSTMENT_NOT_FOUND`: no such adjustment was discarded.' })
  restore(
    @Body(validRequest) request: RestoreDiscardedAdjustmentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.parked.restore(request.stayKey, request.adjustmentKey, {
      reason: request.reason,
      staffId: principal.sub,
      roles: principal.roles,
    });
  }
}
