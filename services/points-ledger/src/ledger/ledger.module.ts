import { Module } from '@nestjs/common';
import { Clock } from '@loyalty/platform';
import { AccountCommandsService } from './account-commands.service';
import { AccountQueriesService } from './account-queries.service';
import { AccountStore } from './account-store';
import { AccountsController } from './accounts.controller';
import { GuestScope } from './guest-scope';
import { LedgerConsumer } from './ledger.consumer';
import { LedgerEventsService } from './ledger-events.service';
import { LedgerJobsService } from './ledger-jobs.service';
import { OperationsController } from './operations.controller';
import { ParkedAdjustmentsController } from './parked-adjustments.controller';
import { ParkedAdjustmentsService } from './parked-adjustments.service';
import { ReconciliationService } from './reconciliation.service';
import { StayAdjustmentService } from './stay-adjustment.service';
import { StayEarningService } from './stay-earning.service';

@Module({
  controllers: [LedgerConsumer, AccountsController, OperationsController, ParkedAdjustmentsController],
  providers: [
    Clock,
    AccountStore,
    StayEarningService,
    StayAdjustmentService,
    LedgerEventsService,
    AccountCommandsService,
    AccountQueriesService,
    GuestScope,
    LedgerJobsService,
    ReconciliationService,
    ParkedAdjustmentsService,
  ],
})
export class LedgerModule {}
