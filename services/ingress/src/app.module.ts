import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@loyalty/platform';
import { IngressConfig } from './config/ingress.config';
import { IngestedEvents1760000006000 } from './migrations/1760000006000-ingested-events';
import { IngestedEventFingerprints1760000006100 } from './migrations/1760000006100-ingested-event-fingerprints';
import { IngestedEventConfirmation1760000006200 } from './migrations/1760000006200-ingested-event-confirmation';
import { UpstreamModule } from './upstream/upstream.module';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'ingress',
      config: IngressConfig,
      entities: [],
      migrations: [
        IngestedEvents1760000006000,
        IngestedEventFingerprints1760000006100,
        IngestedEventConfirmation1760000006200,
      ],
      // The rate limiter.
      redis: true,
    }),
    UpstreamModule,
  ],
})
export class AppModule {}
