import { Body, Controller, Get, Headers, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { UUID_PARAM, validRequest } from '@loyalty/platform';
import { CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { ComplaintCommands } from '../complaints/complaint-commands.service';
import { ComplaintErrorFilter, requestKeyOf } from '../complaints/http-edge';
import { Compensations } from './compensations.service';
import { DeclineCompensationDto } from './dto/decline-compensation.dto';
import { RequestCompensationDto } from './dto/request-compensation.dto';

const WHOLE_STAY =
  'DISCOUNT_PAST_WHOLE_STAY with `limit` (100), `approvedOnComplaint` (by every approver), `remaining` and ' +
  '`requested` when the discount would take the complaint’s approved discounts past the whole stay.';
const NOT_PENDING =
  'COMPENSATION_NOT_PENDING with `status` and `approvedBy` (approved) or `declinedBy` (declined; ' +
  '`complaints` when the complaint closed before it was approved)';

@ApiTags('compensations')
@ApiBearerAuth()
@UseFilters(ComplaintErrorFilter)
@Controller('complaints/:id/compensations')
export class CompensationsController {
  constructor(
    private readonly commands: ComplaintCommands,
    private readonly compensations: Compensations,
  ) {}

  @Post()
  @Roles('front-desk', 'property-manager')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Per complaint: a retry with the same key and body answers 201 with the compensation the first ' +
      'request made, as it stands now, and requests or grants nothing new.',
  })
  @ApiCreatedResponse({
    description:
      'Approved at once within the caller’s limit (front desk 1,000 points, property manager 10,000, above that ' +
      'chain admin), their day’s goodwill points (front desk 5,000, property manager 50,000) and their discount ' +
      'on the complaint over all its offers, else `pending` with `requiredRole` (the role above the caller’s ' +
      'when their day or their discount on the complaint is used up). Approved points publish ' +
      '`compensation-granted`.',
  })
  @ApiConflictResponse({ description: WHOLE_STAY })
  @ApiUnprocessableEntityResponse({
    description: 'IDEMPOTENCY_KEY_REUSED: the key was used on this complaint for a different request.',
  })
  request(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: RequestCompensationDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') requestKey?: string,
  ) {
    const key = requestKeyOf(requestKey, 'POST /complaints/{id}/compensations', request);
    return this.commands.onComplaint(id, principal, ({ manager, actor, announce, now }) =>
      this.compensations.request(manager, id, request, actor, announce, now, key),
    );
  }

  @Post(':compensationId/approve')
  @HttpCode(200)
  @Roles('front-desk', 'property-manager')
  @ApiOkResponse({ description: 'Approved.' })
  @ApiConflictResponse({
    description:
      `${NOT_PENDING} when it is no longer pending; ILLEGAL_TRANSITION when the complaint is closed; ` +
      WHOLE_STAY,
  })
  @ApiForbiddenResponse({
    description:
      'APPROVAL_LIMIT_EXCEEDED with `requiredRole` (and `limit`, `approvedOnComplaint` and `remaining` when ' +
      'the discount would take the caller’s on the complaint past their limit); DAILY_APPROVAL_LIMIT with ' +
      '`limit`, `usedInLast24Hours` and `remaining` when the goodwill points would take the caller past their day’s.',
  })
  approve(
    @Param('id', UUID_PARAM) id: string,
    @Param('compensationId', UUID_PARAM) compensationId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.onComplaint(id, principal, ({ manager, actor, announce, now }) =>
      this.compensations.approve(manager, id, compensationId, actor, announce, now),
    );
  }

  @Post(':compensationId/decline')
  @HttpCode(200)
  @Roles('front-desk', 'property-manager')
  @ApiOkResponse({
    description:
      'Declined (`status: declined`, `declinedBy`, `declinedAt`, `declineReason`), with a ' +
      '`compensation-declined` audit line; nothing is published, as nothing was granted. Also on a closed ' +
      'complaint, for an offer left pending there. Pending offers are declined by the service (`complaints`) ' +
      'when their complaint closes: closed, cancelled or marked a duplicate.',
  })
  @ApiConflictResponse({ description: `${NOT_PENDING} when it was approved or declined already.` })
  @ApiForbiddenResponse({
    description:
      'APPROVAL_LIMIT_EXCEEDED with `requiredRole`: only a role that may approve the offer may decline it.',
  })
  decline(
    @Param('id', UUID_PARAM) id: string,
    @Param('compensationId', UUID_PARAM) compensationId: string,
    @Body(validRequest) request: DeclineCompensationDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.onComplaint(id, principal, ({ manager, actor, now }) =>
      this.compensations.decline(manager, id, compensationId, request.reason, actor, now),
    );
  }

  @Get()
  @Roles('front-desk', 'property-manager', 'analyst', 'service')
  @ApiOkResponse({
    description:
      'The complaint’s offers, oldest first: `pending`, `approved` (`approvedBy`, `approvedAt`) or `declined` ' +
      '(`declinedBy`, `declinedAt`, `declineReason`).',
  })
  list(@Param('id', UUID_PARAM) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.readComplaint(id, principal, (manager) => this.compensations.of(manager, id));
  }
}
