import { Module } from '@nestjs/common';
import { BATCHING_FETCH } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import { ChurnWatcherConfig } from './config/churn-watcher.config';
import { ChurnWatcher1760000005000 } from './migrations/1760000005000-churn-watcher';
import { GuestTombstones1760000005100 } from './migrations/1760000005100-guest-tombstones';
import { StayTimeZones1760000005200 } from './migrations/1760000005200-stay-time-zones';
import { StayNights1760000005300 } from './migrations/1760000005300-stay-nights';
import { ProfilingConsents1760000005400 } from './migrations/1760000005400-profiling-consents';
import { OpenAlertsNewestFirst1760000005500 } from './migrations/1760000005500-open-alerts-newest-first';
import { ChurnModule } from './watch/churn.module';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'churn-watcher',
      config: ChurnWatcherConfig,
      entities: [],
      migrations: [
        ChurnWatcher1760000005000,
        GuestTombstones1760000005100,
        StayTimeZones1760000005200,
        StayNights1760000005300,
        ProfilingConsents1760000005400,
        OpenAlertsNewestFirst1760000005500,
      ],
      messaging: { transport: { fetch: BATCHING_FETCH } },
    }),
    ChurnModule,
  ],
})
export class AppModule {}
