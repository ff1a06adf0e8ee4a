import { Controller, Get, HttpCode, Param, ParseEnumPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@loyalty/auth';
import { Clock, operationInstant, validRequest } from '@loyalty/platform';
import { PointsLedgerConfig } from '../config/points-ledger.config';
import { RunJobQueryDto } from './dto/ledger-requests.dto';
import { LEDGER_JOBS, LedgerJobsService, type LedgerJob } from './ledger-jobs.service';
import { ReconciliationService } from './reconciliation.service';

/** Chain-admin tools: run a scheduled job for a given instant, and reconcile every account. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('operations')
export class OperationsController {
  constructor(
    private readonly jobs: LedgerJobsService,
    private readonly reconciliation: ReconciliationService,
    private readonly clock: Clock,
    private readonly config: PointsLedgerConfig,
  ) {}

  @Post('jobs/:job')
  @HttpCode(200)
  @Roles('chain-admin')
  @ApiParam({ name: 'job', enum: LEDGER_JOBS })
  @ApiOkResponse({
    description:
      'What the run did: `job`, `period`, `ran` (false when it already ran for that period), and what it ' +
      'worked on: `accounts`, or for `apply-parked-adjustments` `stays` (credited stays of active accounts ' +
      'found with adjustments still parked).',
  })
  @ApiBadRequestResponse({ description: '`AS_OF_NOT_ALLOWED`: `asOf` when NODE_ENV is production.' })
  runJob(
    @Param('job', new ParseEnumPipe(Object.fromEntries(LEDGER_JOBS.map((job) => [job, job])))) job: LedgerJob,
    @Query(validRequest) query: RunJobQueryDto,
  ) {
    return this.jobs.run(
      job,
      operationInstant(this.clock, this.config, query.asOf, 'jobs run at the current time'),
    );
  }

  @Get('reconciliation')
  @Roles('chain-admin')
  @ApiOkResponse({
    description: 'Every account checked against its entries, lots and holds; differences listed.',
  })
  reconcile() {
    return this.reconciliation.run();
  }
}
