import { Controller, Get, Res, SetMetadata } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { PUBLIC_ROUTE_METADATA } from '../public-route';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint; public because the scraper has no token (keep it off the public ingress). */
@Controller('metrics')
@SetMetadata(PUBLIC_ROUTE_METADATA, true)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res({ passthrough: true }) res: ServerResponse): Promise<string> {
    const { contentType, body } = await this.metrics.scrape();
    res.setHeader('Content-Type', contentType);
    return body;
  }
}
