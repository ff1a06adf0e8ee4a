import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { assertPropertyInScope, CurrentPrincipal, Roles, type Principal, type Role } from '@loyalty/auth';
import { Clock, requestKey, type RequestKey, UUID_PARAM, validRequest } from '@loyalty/platform';
import { holdNotFound, insufficientPoints, isLedgerError, LedgerError, LedgerErrorCode } from '../domain';
import { AccountCommandsService, type StatusTarget } from './account-commands.service';
import { AccountQueriesService } from './account-queries.service';
import { GuestScope } from './guest-scope';
import {
  AdjustmentDto,
  BalanceQueryDto,
  ConfirmHoldDto,
  PlaceHoldDto,
  ReleaseHoldDto,
  StatementQueryDto,
  StatusChangeDto,
  TierOverrideDto,
  TransferDto,
} from './dto/ledger-requests.dto';
import { LedgerErrorFilter } from './ledger-error.filter';
import { LEDGER_PROGRAM } from './ledger-program';

const ALL_ROLES: Role[] = ['chain-admin', 'property-manager', 'front-desk', 'analyst', 'service'];
const STAFF_WRITERS: Role[] = ['property-manager', 'front-desk', 'service'];
const GUEST_OUT_OF_SCOPE =
  "`PROPERTY_OUT_OF_SCOPE`: the token is not chain-wide and the guest (an unknown one too) has no stay credited at the token's properties";
const GUEST_WRITE_OUT_OF_SCOPE = `${GUEST_OUT_OF_SCOPE}, or \`propertyId\` is not one of them`;
const HOLD_OUT_OF_SCOPE = "`PROPERTY_OUT_OF_SCOPE`: `propertyId` is not one of the token's properties";
const UNKNOWN_GUEST_HOLD =
  '`ACCOUNT_NOT_FOUND` to a chain-wide token; to a token that does not reach the guest, an unknown guest ' +
  'is answered as a guest with no points and no holds';
const BALANCE_IN_REACH =
  '`balance` only when the token reaches the guest (chain-wide, or a stay credited at one of its properties)';
const DAILY_LIMIT =
  "`DAILY_ADJUSTMENT_LIMIT` when the staff member's adjustments and transfers of the last 24 hours and " +
  "this one pass their role's daily limit (`limit`, `usedInLast24Hours`, `remaining`)";
const KEY_REUSED = {
  description:
    '`IDEMPOTENCY_KEY_REUSED`: this Idempotency-Key was already used for a different request (nothing done).',
};

@ApiTags('accounts')
@ApiBearerAuth()
@UseFilters(LedgerErrorFilter)
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly queries: AccountQueriesService,
    private readonly commands: AccountCommandsService,
    private readonly scope: GuestScope,
    private readonly clock: Clock,
  ) {}

  @Get(':guestId')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({
    description: 'Available, pending, held and lifetime points, tier and progress to the next tier.',
  })
  @ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND (a chain-wide token)' })
  @ApiForbiddenResponse({ description: GUEST_OUT_OF_SCOPE })
  async balance(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Query(validRequest) query: BalanceQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.scope.assertReaches(principal, guestId);
    return this.queries.balance(guestId, this.clock.now(), query.timeZone ?? 'UTC');
  }

  @Get(':guestId/statement')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ description: 'Ledger entries, newest first, with `nextCursor` for the next page.' })
  @ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND (a chain-wide token)' })
  @ApiForbiddenResponse({ description: GUEST_OUT_OF_SCOPE })
  async statement(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Query(validRequest) query: StatementQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.scope.assertReaches(principal, guestId);
    return this.queries.statement(guestId, {
      ...(query.type ? { type: query.type } : {}),
      ...(query.from ? { from: new Date(query.from) } : {}),
      ...(query.to ? { to: new Date(query.to) } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      limit: query.limit ?? 50,
    });
  }

  @Post(':guestId/holds')
  @Roles(...STAFF_WRITERS)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'A retry with the same key and body returns the first answer; the key with another body is refused (422).',
  })
  @ApiCreatedResponse({
    description: `Points set aside until \`expiresAt\`; ${BALANCE_IN_REACH}.`,
  })
  @ApiConflictResponse({
    description:
      '`{ code: "INSUFFICIENT_POINTS", requested }`, with `available` and `shortfall` when the token ' +
      'reaches the guest; other refusals.',
  })
  @ApiForbiddenResponse({ description: HOLD_OUT_OF_SCOPE })
  @ApiNotFoundResponse({ description: UNKNOWN_GUEST_HOLD })
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  placeHold(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body(validRequest) request: PlaceHoldDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    // A member redeems at any property: a hold is scoped by the property of the reward, not by the guest.
    assertPropertyInScope(principal, request.propertyId);
    const requestKey = requestKeyOf(idempotencyKey, 'POST /accounts/:guestId/holds', request);
    return this.redeem(
      principal,
      guestId,
      () =>
        this.commands.placeHold(guestId, request.points, request.ttlMinutes, requestKey, {
          staffId: principal.sub,
          role: strongestRole(principal),
          propertyId: request.propertyId,
        }),
      { hidden: 'balance', refusalToNoAccount: () => insufficientPoints(request.points, 0) },
    );
  }

  @Post(':guestId/holds/:holdId/confirm')
  @HttpCode(200)
  @Roles(...STAFF_WRITERS)
  @ApiOkResponse({
    description: `The hold became a redemption (\`points-redeemed\`); ${BALANCE_IN_REACH}.`,
  })
  @ApiForbiddenResponse({ description: HOLD_OUT_OF_SCOPE })
  @ApiNotFoundResponse({ description: `\`HOLD_NOT_FOUND\`; ${UNKNOWN_GUEST_HOLD}` })
  confirmHold(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Param('holdId', UUID_PARAM) holdId: string,
    @Body(validRequest) request: ConfirmHoldDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, request.propertyId);
    return this.redeem(
      principal,
      guestId,
      () =>
        this.commands.confirmHold(guestId, holdId, {
          reward: request.reward,
          propertyId: request.propertyId,
          staffId: principal.sub,
          role: strongestRole(principal),
        }),
      { hidden: 'balance', refusalToNoAccount: () => holdNotFound(holdId) },
    );
  }

  @Post(':guestId/holds/:holdId/release')
  @HttpCode(200)
  @Roles(...STAFF_WRITERS)
  @ApiOkResponse({
    description: `The held points are available again; \`available\` only when the token reaches the guest.`,
  })
  @ApiForbiddenResponse({ description: HOLD_OUT_OF_SCOPE })
  @ApiNotFoundResponse({ description: `\`HOLD_NOT_FOUND\`; ${UNKNOWN_GUEST_HOLD}` })
  releaseHold(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Param('holdId', UUID_PARAM) holdId: string,
    @Body(validRequest) request: ReleaseHoldDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, request.propertyId);
    return this.redeem(
      principal,
      guestId,
      () =>
        this.commands.releaseHold(guestId, holdId, {
          staffId: principal.sub,
          role: strongestRole(principal),
          propertyId: request.propertyId,
        }),
      { hidden: 'available', refusalToNoAccount: () => holdNotFound(holdId) },
    );
  }

  @Post(':guestId/adjustments')
  @Roles(...STAFF_WRITERS)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'A retry with the same key and body returns the first answer and adjusts nothing more; the key with ' +
      'another body is refused (422).',
  })
  @ApiCreatedResponse({ description: 'Adjusted (`points-adjusted`).' })
  @ApiForbiddenResponse({
    description: `${GUEST_WRITE_OUT_OF_SCOPE}; \`ADJUSTMENT_OVER_CAP\` beyond the role cap; ${DAILY_LIMIT}.`,
  })
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  async adjust(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body(validRequest) request: AdjustmentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, request.propertyId);
    await this.scope.assertReaches(principal, guestId);
    return this.commands.adjust(
      guestId,
      {
        points: request.points,
        reason: request.reason,
        role: strongestRole(principal),
        staffId: principal.sub,
        ...(request.complaintId ? { complaintId: request.complaintId } : {}),
      },
      requestKeyOf(idempotencyKey, 'POST /accounts/:guestId/adjustments', request),
    );
  }

  @Post(':guestId/transfers')
  @Roles(...STAFF_WRITERS)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'A retry with the same key and body returns the first answer and moves nothing more; the key with ' +
      'another body is refused (422).',
  })
  @ApiCreatedResponse({
    description:
      'Points moved to another member, keeping their expiry dates (`points-adjusted` on each side, and ' +
      'the staff member in both entries).',
  })
  @ApiForbiddenResponse({
    description:
      `${GUEST_WRITE_OUT_OF_SCOPE} (the sender and the receiver alike); ` +
      `\`ADJUSTMENT_OVER_CAP\` beyond the role cap; ${DAILY_LIMIT}.`,
  })
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  async transfer(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body(validRequest) request: TransferDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, request.propertyId);
    await this.scope.assertReaches(principal, guestId, request.toGuestId);
    const requestKey = requestKeyOf(idempotencyKey, 'POST /accounts/:guestId/transfers', request);
    return this.commands.transfer(guestId, request.toGuestId, request.points, requestKey, {
      staffId: principal.sub,
      role: strongestRole(principal),
    });
  }

  @Post(':guestId/suspend')
  @HttpCode(200)
  @Roles('property-manager')
  @ApiOkResponse({ description: 'Suspended: the account neither earns nor spends until reactivated.' })
  @ApiForbiddenResponse({ description: GUEST_WRITE_OUT_OF_SCOPE })
  suspend(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body(validRequest) request: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.changeStatus(guestId, 'suspended', request, principal);
  }

  @Post(':guestId/reactivate')
  @HttpCode(200)
  @Roles('property-manager')
  @ApiOkResponse({ description: 'Active again: earns and spends.' })
  @ApiForbiddenResponse({ description: GUEST_WRITE_OUT_OF_SCOPE })
  reactivate(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body(validRequest) request: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.changeStatus(guestId, 'active', request, principal);
  }

  @Post(':guestId/close')
  @HttpCode(200)
  @Roles('chain-admin')
  @ApiOkResponse({ description: 'Closed for good.' })
  @ApiForbiddenResponse({ description: GUEST_WRITE_OUT_OF_SCOPE })
  @ApiConflictResponse({
    description:
      '`ADJUSTMENTS_PARKED` while stay adjustments wait to apply to it (`parkedAdjustments`: reactivate it, ' +
      'or let the job apply them, or discard one that never applies: `GET /operations/parked-adjustments`); ' +
      '`ACCOUNT_NOT_EMPTY` while points or open holds remain.',
  })
  close(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body(validRequest) request: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.changeStatus(guestId, 'closed', request, principal);
  }

  @Put(':guestId/tier')
  @Roles('property-manager')
  @ApiOkResponse({
    description: 'Tier set by hand and locked against automatic moves (`tier-changed`, manual).',
  })
  @ApiForbiddenResponse({ description: GUEST_WRITE_OUT_OF_SCOPE })
  async overrideTier(
    @Param('guestId', UUID_PARAM) guestId: string,
    @Body(validRequest) request: TierOverrideDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPropertyInScope(principal, request.propertyId);
    await this.scope.assertReaches(principal, guestId);
    return this.commands.overrideTier(guestId, {
      tierId: request.tierId,
      reason: request.reason,
      staffId: principal.sub,
      lockUntil: request.lockUntil ? new Date(request.lockUntil) : null,
    });
  }

  /**
   * A hold command, which any member may use wherever they redeem. To a token that does not reach the
   * guest it answers no more than GET would: no balance (`hidden`), no available points or shortfall in
   * a refusal. Nor does it tell whether the guest has an account: the command goes on for a guest it does
   * not reach, so an unknown guest gets the refusal of an account with no points and no holds
   * (`refusalToNoAccount`), not the 403 GET gives, which no guest with an account gets here.
   */
  private async redeem<R extends object, K extends keyof R>(
    principal: Principal,
    guestId: string,
    command: () => Promise<R>,
    { hidden, refusalToNoAccount }: { hidden: K; refusalToNoAccount: () => LedgerError },
  ): Promise<R | Omit<R, K>> {
    if (await this.scope.reaches(principal, guestId)) return command();
    let result: R;
    try {
      result = await command();
    } catch (error) {
      throw withoutFigures(isAccountNotFound(error) ? refusalToNoAccount() : error);
    }
    const { [hidden]: _hidden, ...rest } = result;
    return rest;
  }

  private async changeStatus(
    guestId: string,
    to: StatusTarget,
    request: StatusChangeDto,
    principal: Principal,
  ) {
    assertPropertyInScope(principal, request.propertyId);
    await this.scope.assertReaches(principal, guestId);
    return this.commands.changeStatus(guestId, to, {
      reason: request.reason,
      staffId: principal.sub,
      roles: principal.roles,
    });
  }
}

function isAccountNotFound(error: unknown): boolean {
  if (!(error instanceof NotFoundException)) return false;
  const body = error.getResponse();
  return typeof body === 'object' && (body as { code?: unknown }).code === 'ACCOUNT_NOT_FOUND';
}

/** Too few points, said without the account's figures (`available`, `shortfall`). */
function withoutFigures(error: unknown): unknown {
  if (!isLedgerError(error, LedgerErrorCode.INSUFFICIENT_POINTS)) return error;
  const { requested } = error.details;
  return new LedgerError(
    LedgerErrorCode.INSUFFICIENT_POINTS,
    'the account has fewer available points than requested',
    typeof requested === 'number' ? { requested } : {},
  );
}

/**
 * The `Idempotency-Key` with the fingerprint of the route and the validated body, so that the key sent
 * again with another request can be told from a retry.
 */
function requestKeyOf(key: string | undefined, route: string, body: object): RequestKey {
  if (!key || key.length > 200) {
    throw new BadRequestException({
      code: 'IDEMPOTENCY_KEY_REQUIRED',
      message: 'this request needs an Idempotency-Key header (at most 200 characters)',
    });
  }
  return requestKey(key, route, body);
}

/**
 * The caller's role with the largest adjustment cap, which also caps transfers: a token with several roles
 * gets the most it may do.
 */
function strongestRole(principal: Principal): Role {
  const caps = LEDGER_PROGRAM.adjustmentCaps;
  return [...principal.roles].sort((a, b) => caps[b] - caps[a])[0] ?? 'analyst';
}
