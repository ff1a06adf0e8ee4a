import { Module } from '@nestjs/common';
import type { MessagingOptions } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import { PointsLedgerConfig } from './config/points-ledger.config';
import { LedgerModule } from './ledger/ledger.module';
import { Ledger1760000002000 } from './migrations/1760000002000-ledger';
import { AccountStatusChanges1760000003000 } from './migrations/1760000003000-account-status-changes';
import { CreditedStayEarning1760000004000 } from './migrations/1760000004000-credited-stay-earning';
import { ParkedStayAdjustments1760000005000 } from './migrations/1760000005000-parked-stay-adjustments';
import { RequestFingerprints1760000006000 } from './migrations/1760000006000-request-fingerprints';
import { CreditedStayProperties1760000007000 } from './migrations/1760000007000-credited-stay-properties';
import { EntriesByStaff1760000008000 } from './migrations/1760000008000-entries-by-staff';
import { MilestonesReached1760000009000 } from './migrations/1760000009000-milestones-reached';
import { HoldAudit1760000010000 } from './migrations/1760000010000-hold-audit';
import { ReversalsOfExpiredPoints1760000011000 } from './migrations/1760000011000-reversals-of-expired-points';
import { DiscardedStayAdjustments1760000012000 } from './migrations/1760000012000-discarded-stay-adjustments';
import { CheaperWrites1760000013000 } from './migrations/1760000013000-cheaper-writes';
import { RestoredDiscards1760000014000 } from './migrations/1760000014000-restored-discards';
import { NonEarningStaysCreditedBefore1760000015000 } from './migrations/1760000015000-non-earning-stays-credited-before';
import { DiscardsOwnClaims1760000016000 } from './migrations/1760000016000-discards-own-claims';
import { NightsAdjustmentKey1760000017000 } from './migrations/1760000017000-nights-adjustment-key';

/**
 * The ledger is the platform's busiest consumer: every partition of stay-recorded in flight at once and
 * larger batches, since a batch costs a fixed handful of round trips whatever its size.
 */
export const LEDGER_MESSAGING: MessagingOptions = {
  transport: { partitionsConsumedConcurrently: 6, maxBatchSize: 1000 },
  relayBatchSize: 1000,
};

/** In the order they run; a test of one runs those before it. */
export const LEDGER_MIGRATIONS = [
  Ledger1760000002000,
  AccountStatusChanges1760000003000,
  CreditedStayEarning1760000004000,
  ParkedStayAdjustments1760000005000,
  RequestFingerprints1760000006000,
  CreditedStayProperties1760000007000,
  EntriesByStaff1760000008000,
  MilestonesReached1760000009000,
  HoldAudit1760000010000,
  ReversalsOfExpiredPoints1760000011000,
  DiscardedStayAdjustments1760000012000,
  CheaperWrites1760000013000,
  RestoredDiscards1760000014000,
  NonEarningStaysCreditedBefore1760000015000,
  DiscardsOwnClaims1760000016000,
  NightsAdjustmentKey1760000017000,
] as const;

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'points-ledger',
      config: PointsLedgerConfig,
      entities: [],
      migrations: [...LEDGER_MIGRATIONS],
      messaging: LEDGER_MESSAGING,
    }),
    LedgerModule,
  ],
})
export class AppModule {}
