import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UUID_PARAM, validRequest } from '@loyalty/platform';
import { CurrentPrincipal, Roles, type Principal, type Role } from '@loyalty/auth';
import { ComplaintCommands } from './complaint-commands.service';
import {
  AssignDto,
  CloseDto,
  DuplicateDto,
  EscalateDto,
  ReasonDto,
  ReclassifyDto,
  ResolveDto,
} from './dto/transition.dto';
import { ComplaintErrorFilter } from './http-edge';

/** Front desk, managers, and integrations (call centre, email) through a `service` token. */
export const COMPLAINT_HANDLERS: Role[] = ['property-manager', 'front-desk', 'service'];

/** The state machine's actions, one route each; an illegal one is a 409 naming the allowed actions. */
@ApiTags('complaints')
@ApiBearerAuth()
@UseFilters(ComplaintErrorFilter)
@Controller('complaints/:id')
export class ComplaintTransitionsController {
  constructor(private readonly commands: ComplaintCommands) {}

  @Post('acknowledge')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION with `allowed`, the actions the status allows.' })
  acknowledge(@Param('id', UUID_PARAM) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'acknowledge' }, principal);
  }

  @Post('start')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  start(@Param('id', UUID_PARAM) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'start' }, principal);
  }

  @Post('await-guest')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiOkResponse({ description: 'Waiting for the guest: the resolution clock stops.' })
  awaitGuest(@Param('id', UUID_PARAM) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'await-guest' }, principal);
  }

  @Post('resume')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  resume(@Param('id', UUID_PARAM) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'resume' }, principal);
  }

  @Post('resolve')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  resolve(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: ResolveDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'resolve', ...request }, principal);
  }

  @Post('close')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiOkResponse({
    description: 'Closed with the follow-up answer; unanswered follow-ups close by themselves.',
  })
  close(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: CloseDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'close', ...request }, principal);
  }

  @Post('reopen')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiConflictResponse({ description: 'REOPEN_WINDOW_PASSED after COMPLAINTS_REOPEN_DAYS.' })
  reopen(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: ReasonDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'reopen', ...request }, principal);
  }

  @Post('mark-duplicate')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiOkResponse({
    description:
      'Complaints marked duplicates of this one become duplicates of `duplicateOf`, each with an audit line.',
  })
  @ApiConflictResponse({
    description:
      'HAS_DUPLICATES when some complaints marked duplicates of it are at properties outside your scope: ' +
      'they would move with it (`duplicates`, those in scope, and `duplicatesOutOfScope`).',
  })
  markDuplicate(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: DuplicateDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'mark-duplicate', ...request }, principal);
  }

  @Post('cancel')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiConflictResponse({
    description:
      'HAS_DUPLICATES when complaints were marked duplicates of it (`duplicates`, those in scope, and ' +
      '`duplicatesOutOfScope`): their guests wait for its answer, so it is resolved instead.',
  })
  cancel(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: ReasonDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'cancel', ...request }, principal);
  }

  @Post('escalate')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiConflictResponse({
    description:
      'ESCALATION_AT_TOP at level 3; ILLEGAL_TRANSITION once resolved; ESCALATION_LEVEL_CHANGED when `fromLevel` ' +
      'is no longer the level.',
  })
  escalate(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: EscalateDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.escalate(id, request, principal);
  }

  @Post('reclassify')
  @HttpCode(200)
  @Roles(...COMPLAINT_HANDLERS)
  @ApiOkResponse({
    description:
      'A new severity and/or category, with the reason in the audit trail; its SLA timers move to the targets ' +
      'of the policy it now falls under. One that changes nothing records nothing.',
  })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION once closed, a duplicate or cancelled.' })
  reclassify(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: ReclassifyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.reclassify(id, request, principal);
  }

  @Post('assign')
  @HttpCode(200)
  @Roles('property-manager')
  @ApiOkResponse({ description: 'A new owner; later escalations notify their manager.' })
  assign(
    @Param('id', UUID_PARAM) id: string,
    @Body(validRequest) request: AssignDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.assign(id, request, principal);
  }
}
