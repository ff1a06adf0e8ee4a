import { Controller, Get, HttpStatus, Inject, Res, SetMetadata } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from '../observability-options';
import { PUBLIC_ROUTE_METADATA } from '../public-route';
import { HealthRegistry, type LivenessReport, type ReadinessReport } from './health-registry.service';

/** Liveness and readiness probes; public so orchestrators can call them without a token. */
@Controller('health')
@SetMetadata(PUBLIC_ROUTE_METADATA, true)
export class HealthController {
  constructor(
    private readonly registry: HealthRegistry,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: Pick<ObservabilityOptions, 'readinessTimeoutMs'>,
  ) {}

  /**
   * The process is up, serving HTTP, and not broken in a way only a restart mends (`failLiveness`);
   * dependencies are not consulted, so a restart would not help them.
   */
  @Get('live')
  live(@Res({ passthrough: true }) res: ServerResponse): LivenessReport {
    const report = this.registry.liveness();
    res.statusCode = report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
    return report;
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: ServerResponse): Promise<ReadinessReport> {
    const report = await this.registry.check(this.options.readinessTimeoutMs);
    res.statusCode = report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
    return report;
  }
}
