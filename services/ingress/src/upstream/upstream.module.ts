import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiKeyMiddleware } from './api-key.middleware';
import { IngestService } from './ingest.service';
import { RateLimiter } from './rate-limiter';
import { UPSTREAM_EVENTS_PATH, UpstreamEventsController } from './upstream-events.controller';

@Module({
  controllers: [UpstreamEventsController],
  providers: [ApiKeyMiddleware, IngestService, RateLimiter],
})
export class UpstreamModule {
  // Mounted while the app is being built, so ahead of the JSON body parser that bootstrapService adds to
  // every route once it is: middleware from a module's `configure` would run only after the body was
  // read and parsed. The platform's request context, mounted before the app is built, runs first, so a
  // request the key check refuses is logged, counted and given its correlation id like any other.
  constructor(adapterHost: HttpAdapterHost, apiKeys: ApiKeyMiddleware) {
    adapterHost.httpAdapter.use(`/${UPSTREAM_EVENTS_PATH}`, apiKeys.use.bind(apiKeys));
  }
}
