import { Module } from '@nestjs/common';
import { Clock } from '@loyalty/platform';
import { GuestTombstones } from '@loyalty/persistence';
import { ChurnConsumer } from './churn.consumer';
import { ChurnController } from './churn.controller';
import { ChurnSchedulerService } from './churn-scheduler.service';
import { EpisodeStore } from './episode-store';
import { GuestHistoryService } from './guest-history.service';
import { GuestScoreService } from './guest-score.service';
import { LapseScanService } from './lapse-scan.service';
import { ModelFittingService } from './model-fitting.service';
import { ModelStore } from './model-store';
import { NightsStore } from './nights-store';
import { ProfilingConsentService } from './profiling-consent.service';
import { ProfilingConsentStore } from './profiling-consent-store';
import { riskLineProvider } from './risk-line.provider';
import { SignalStore } from './signal-store';
import { VisitStore } from './visit-store';

@Module({
  controllers: [ChurnConsumer, ChurnController],
  providers: [
    Clock,
    riskLineProvider,
    GuestTombstones,
    VisitStore,
    NightsStore,
    EpisodeStore,
    SignalStore,
    ProfilingConsentStore,
    ModelStore,
    GuestHistoryService,
    ProfilingConsentService,
    GuestScoreService,
    ModelFittingService,
    LapseScanService,
    ChurnSchedulerService,
  ],
})
export class ChurnModule {}
