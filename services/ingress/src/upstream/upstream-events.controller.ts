import {
  Body,
  Controller,
  HttpCode,
  HttpException,
  HttpStatus,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@loyalty/auth';
import { IngressConfig } from '../config/ingress.config';
import type { UpstreamRequest } from './api-key.middleware';
import type { ItemResult } from './check-items';
import { IngestService } from './ingest.service';
import { RateLimiter } from './rate-limiter';
import { rateLimited, RetryLaterFilter } from './retry-later';

/** Where upstream systems send events; ApiKeyMiddleware authenticates every request under it. */
export const UPSTREAM_EVENTS_PATH = 'v1/events';

const STATUS_OF_ONE: Record<ItemResult['status'], number> = { accepted: 202, duplicate: 200, rejected: 422 };

@ApiTags('upstream')
@ApiHeader({ name: 'X-Api-Key', required: true, description: 'the upstream system’s key' })
@Public()
@UseFilters(RetryLaterFilter)
@Controller(UPSTREAM_EVENTS_PATH)
export class UpstreamEventsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly limiter: RateLimiter,
    private readonly config: IngressConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Send one CloudEvent (202 accepted, 200 already received, 422 invalid or its id used by another event, 503 retry later)',
  })
  async one(
    @Body() event: unknown,
    @Req() request: UpstreamRequest,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ) {
    await this.throttle(request, 1);
    const [result] = await this.ingest.ingest([event], request.upstream);
    response.status(STATUS_OF_ONE[result.status]);
    return result;
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Send up to INGRESS_MAX_BATCH CloudEvents as { "events": [...] }, or as a CloudEvents batch (a JSON array, application/cloudevents-batch+json); results per item (503: retry the batch)',
  })
  async batch(@Body() body: { events?: unknown } | unknown[], @Req() request: UpstreamRequest) {
    const events = Array.isArray(body) ? body : body?.events;
    if (!Array.isArray(events) || events.length === 0) {
      throw new HttpException(
        {
          statusCode: 400,
          error: 'Bad Request',
          code: 'BATCH_INVALID',
          message: 'send { "events": [ ... ] }, or a CloudEvents batch [ ... ], with at least one event',
        },
        HttpStatus.BAD_REQUEST,
      );
    }
    // A batch larger than a second's budget would be refused (429) on every retry.
    const largest = Math.min(this.config.INGRESS_MAX_BATCH, this.config.INGRESS_EVENTS_PER_SECOND);
    if (events.length > largest) {
      throw new HttpException(
        {
          statusCode: 413,
          error: 'Payload Too Large',
          code: 'BATCH_TOO_LARGE',
          message: `a batch holds at most ${largest} events; this one has ${events.length}`,
        },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    }
    await this.throttle(request, events.length);
    const results = await this.ingest.ingest(events, request.upstream);
    const count = (status: ItemResult['status']) => results.filter((r) => r.status === status).length;
    return {
      accepted: count('accepted'),
      duplicates: count('duplicate'),
      rejected: count('rejected'),
      results,
    };
  }

  private async throttle(request: UpstreamRequest, events: number): Promise<void> {
    if (await this.limiter.take(request.upstream.name, events)) return;
    throw rateLimited(request.upstream.name, this.config.INGRESS_EVENTS_PER_SECOND);
  }
}
