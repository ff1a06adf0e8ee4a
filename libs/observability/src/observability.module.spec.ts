import { Controller, Get, Inject, Param, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Logger } from 'pino';
import request from 'supertest';
import { HealthRegistry } from './health/health-registry.service';
import { LOGGER } from './logging/logger.token';
import { ObservabilityModule } from './observability.module';
import { LogCapture } from './testing/log-capture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@Controller('members')
class MembersController {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    this.logger.info({ memberId: id, guest: { email: 'ada@example.com', tier: 'gold' } }, 'member looked up');
    return { id };
  }
}

describe('ObservabilityModule', () => {
  let app: INestApplication;
  let logs: LogCapture;
  let health: HealthRegistry;

  beforeEach(async () => {
    logs = new LogCapture();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule.forRoot({
          service: 'test-svc',
          level: 'debug',
          logDestination: logs,
          readinessTimeoutMs: 150,
        }),
      ],
      controllers: [MembersController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    health = app.get(HealthRegistry);
  });

  afterEach(() => app.close());

  it('should answer ok when liveness is probed', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('should answer 503 to liveness, naming why, once something only a restart mends has failed it, whatever readiness says', async () => {
    health.register('postgres', async () => undefined);
    health.failLiveness('consumer group svc stopped after a crash kafkajs does not restart');
    health.failLiveness('consumer group svc stopped after a crash kafkajs does not restart');

    await request(app.getHttpServer())
      .get('/health/live')
      .expect(503, {
        status: 'error',
        failures: ['consumer group svc stopped after a crash kafkajs does not restart'],
      });
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('should report ready with latencies when every check passes', async () => {
    health.register('postgres', async () => undefined);
    health.register('kafka', async () => undefined);
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: {
        postgres: { status: 'up', latencyMs: expect.any(Number) },
        kafka: { status: 'up', latencyMs: expect.any(Number) },
      },
    });
  });

  it('should answer 503 naming the failed check when a check rejects', async () => {
    health.register('postgres', async () => undefined);
    health.register('kafka', async () => {
      throw new Error('broker 127.0.0.1:9092 unreachable');
    });
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.checks.postgres.status).toBe('up');
    expect(res.body.checks.kafka).toEqual({
      status: 'down',
      latencyMs: expect.any(Number),
      error: 'broker 127.0.0.1:9092 unreachable',
    });
  });

  it('should answer 503 with a timeout when a check hangs', async () => {
    health.register('redis', () => new Promise<void>(() => undefined));
    const started = Date.now();
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.checks.redis).toMatchObject({ status: 'down', error: 'timed out after 150 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should expose the HTTP metrics by route pattern when a request was served', async () => {
    await request(app.getHttpServer()).get('/members/42').expect(200);
    await request(app.getHttpServer()).get('/members/43').expect(200);
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);

    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const line = res.text
      .split('\n')
      .find((l) => l.startsWith('http_requests_total{') && l.includes('/members/:id'));
    expect(line).toBeDefined();
    expect(line).toContain('method="GET"');
    expect(line).toContain('status="200"');
    expect(line).toContain('service="test-svc"');
    expect(line).toMatch(/ 2$/);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toContain('process_cpu_user_seconds_total{service="test-svc"}');
  });

  it('should label the route as unmatched when no route handles the request', async () => {
    await request(app.getHttpServer()).get('/no/such/path/123').expect(404);
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="unmatched"[^}]*status="404"[^}]*\} 1/);
    expect(res.text).not.toContain('/no/such/path');
  });

  it('should echo the correlation id and put it on every log line when the request carries one', async () => {
    const res = await request(app.getHttpServer())
      .get('/members/7?email=ada@example.com')
      .set('x-correlation-id', 'corr-abc-123')
      .expect(200);

    expect(res.headers['x-correlation-id']).toBe('corr-abc-123');
    const [handlerLine] = logs.find('member looked up');
    expect(handlerLine).toMatchObject({ correlationId: 'corr-abc-123', service: 'test-svc', level: 'info' });
    const [requestLine] = logs.find('request completed');
    expect(requestLine).toMatchObject({
      correlationId: 'corr-abc-123',
      method: 'GET',
      url: '/members/7',
      route: '/members/:id',
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(typeof requestLine.time).toBe('string');
    expect(new Date(requestLine.time as string).toISOString()).toBe(requestLine.time);
  });

  it('should generate a correlation id when the request has none', async () => {
    const res = await request(app.getHttpServer()).get('/members/7').expect(200);
    const id = res.headers['x-correlation-id'];
    expect(id).toMatch(UUID);
    expect(logs.find('member looked up')[0].correlationId).toBe(id);
  });

  it('should redact the e-mail when a logged object carries one', async () => {
    await request(app.getHttpServer()).get('/members/7').expect(200);
    const [line] = logs.find('member looked up');
    expect(line.guest).toEqual({ email: '[REDACTED]', tier: 'gold' });
    expect(JSON.stringify(logs.lines)).not.toContain('ada@example.com');
  });

  it('should fail readiness when the app is shutting down', async () => {
    health.beforeApplicationShutdown();
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.checks.shutdown.status).toBe('down');
  });
});
