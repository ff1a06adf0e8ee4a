import { Body, Controller, Get, Headers, Param, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { UUID_PARAM, validRequest } from '@loyalty/platform';
import { CurrentPrincipal, Roles, type Principal, type Role } from '@loyalty/auth';
import { ComplaintCommands } from './complaint-commands.service';
import { COMPLAINT_HANDLERS } from './complaint-transitions.controller';
import { ComplaintQueries } from './complaint-queries.service';
import { ListComplaintsDto } from './dto/list-complaints.dto';
import { OpenComplaintDto } from './dto/open-complaint.dto';
import { ComplaintErrorFilter, requestKeyOf } from './http-edge';

const READERS: Role[] = ['property-manager', 'front-desk', 'analyst', 'service'];

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
  @Roles(...COMPLAINT_HANDLERS)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retry with the same key and body at the same property answers 201 with the first complaint and ' +
      'opens nothing new.',
  })
  @ApiCreatedResponse({ description: 'Opened, with its SLA policy and deadlines (`complaint-opened`).' })
  @ApiUnprocessableEntityResponse({
    description: 'IDEMPOTENCY_KEY_REUSED: the key was used at this property for a different request.',
  })
  open(
    @Body(validRequest) request: OpenComplaintDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') intakeKey?: string,
  ) {
    return this.commands.open(request, principal, requestKeyOf(intakeKey, 'POST /complaints', request));
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
    description:
      'The complaint, the actions allowed now (`allowedActions`: `reopen` only within the reopen window), and ' +
      'each SLA timer: `kind`, `state`, `target`, `actual`, `breachedAt`, `withinSla`, `differenceMinutes` ' +
      '(met ones), and `remainingMinutes`. A `paused` timer (awaiting the guest) has no target until its clock ' +
      'starts again: `remainingMinutes` is the working time it has left, and `target` the earliest it can be ' +
      'due, were the guest to answer now (as `complaint-reclassified` says; paused after a breach, the target ' +
      'it missed); `remainingMinutes` is null on the others.',
  })
  @ApiNotFoundResponse({ description: 'COMPLAINT_NOT_FOUND' })
  get(@Param('id', UUID_PARAM) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.get(id, principal);
  }

  @Get(':id/audit')
  @Roles(...READERS)
  @ApiOkResponse({ description: 'Every change: who, when, what, before and after.' })
  audit(@Param('id', UUID_PARAM) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.auditTrail(id, principal);
  }
}
