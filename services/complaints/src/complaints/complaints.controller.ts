import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, type Role } from '@loyalty/auth';
import { ComplaintCommands } from './complaint-commands.service';
import { ComplaintQueries } from './complaint-queries.service';
import { ListComplaintsDto } from './dto/list-complaints.dto';
import { OpenComplaintDto } from './dto/open-complaint.dto';
import { CloseDto, DuplicateDto, EscalateDto, ReasonDto, ResolveDto } from './dto/transition.dto';
import { ComplaintErrorFilter, validRequest } from './http-edge';

const READERS: Role[] = ['property-manager', 'front-desk', 'analyst', 'service'];
/** Front desk, managers, and integrations (call centre, email) through a `service` token. */
const HANDLERS: Role[] = ['property-manager', 'front-desk', 'service'];
const ID = new ParseUUIDPipe();

@ApiTags('complaints')
@ApiBearerAuth()
@UseFilters(ComplaintErrorFilter)
@Controller('complaints')
export class ComplaintsController {
  constructor(
    private readonly commands: ComplaintCommands,
    private readonly queries: ComplaintQueries,
  ) {}

  @Post()
  @Roles(...HANDLERS)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key opens nothing new.',
  })
  @ApiCreatedResponse({ description: 'Opened, with its SLA policy and deadlines (`complaint-opened`).' })
  open(
    @Body(validRequest) request: OpenComplaintDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') intakeKey?: string,
  ) {
    return this.commands.open(request, principal, intakeKey?.slice(0, 200));
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ description: 'Complaints in the token scope, newest first, with `nextCursor`.' })
  list(@Query(validRequest) query: ListComplaintsDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.list(query, principal);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({
    description: 'The complaint, its allowed actions, and each SLA timer: target, actual, difference.',
  })
  @ApiNotFoundResponse({ description: 'COMPLAINT_NOT_FOUND' })
  get(@Param('id', ID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.get(id, principal);
  }

  @Get(':id/audit')
  @Roles(...READERS)
  @ApiOkResponse({ description: 'Every change: who, when, what, before and after.' })
  audit(@Param('id', ID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.auditTrail(id, principal);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles(...HANDLERS)
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION with `allowed`, the actions the status allows.' })
  acknowledge(@Param('id', ID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'acknowledge' }, principal);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles(...HANDLERS)
  start(@Param('id', ID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'start' }, principal);
  }

  @Post(':id/await-guest')
  @HttpCode(200)
  @Roles(...HANDLERS)
  @ApiOkResponse({ description: 'Waiting for the guest: the resolution clock stops.' })
  awaitGuest(@Param('id', ID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'await-guest' }, principal);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles(...HANDLERS)
  resume(@Param('id', ID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.act(id, { action: 'resume' }, principal);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles(...HANDLERS)
  resolve(
    @Param('id', ID) id: string,
    @Body(validRequest) request: ResolveDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'resolve', ...request }, principal);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(...HANDLERS)
  @ApiOkResponse({
    description: 'Closed with the follow-up answer; unanswered follow-ups close by themselves.',
  })
  close(
    @Param('id', ID) id: string,
    @Body(validRequest) request: CloseDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'close', ...request }, principal);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles(...HANDLERS)
  @ApiConflictResponse({ description: 'REOPEN_WINDOW_PASSED after COMPLAINTS_REOPEN_DAYS.' })
  reopen(
    @Param('id', ID) id: string,
    @Body(validRequest) request: ReasonDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'reopen', ...request }, principal);
  }

  @Post(':id/mark-duplicate')
  @HttpCode(200)
  @Roles(...HANDLERS)
  markDuplicate(
    @Param('id', ID) id: string,
    @Body(validRequest) request: DuplicateDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'mark-duplicate', ...request }, principal);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...HANDLERS)
  cancel(
    @Param('id', ID) id: string,
    @Body(validRequest) request: ReasonDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.act(id, { action: 'cancel', ...request }, principal);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @Roles(...HANDLERS)
  @ApiConflictResponse({ description: 'ESCALATION_AT_TOP at level 3; ILLEGAL_TRANSITION once resolved.' })
  escalate(
    @Param('id', ID) id: string,
    @Body(validRequest) request: EscalateDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.escalate(id, request, principal);
  }
}
