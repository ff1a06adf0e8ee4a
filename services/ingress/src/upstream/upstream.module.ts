import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { IngestService } from './ingest.service';
import { RateLimiter } from './rate-limiter';
import { UpstreamEventsController } from './upstream-events.controller';

@Module({
  controllers: [UpstreamEventsController],
  providers: [ApiKeyGuard, IngestService, RateLimiter],
})
export class UpstreamModule {}
