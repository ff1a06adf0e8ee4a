import {
  Controller,
  Get,
  Param,
  Post,
  ServiceUnavailableException,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ObservabilityModule } from '../observability.module';
import { LogCapture } from '../testing/log-capture';

const GUEST_TOKEN = 'eyJpbnYiOiI0MiJ9.c2lnbmF0dXJl';

@Controller('survey')
class SurveyController {
  @Get(':token')
  open(@Param('token') token: string): { token: string } {
    return { token };
  }

  @Post(':token/answers')
  answer(): void {}

  @Get('properties/:propertyId/links/t-:token')
  linkOfProperty(): void {}
}

/** A readiness probe and a route of the service's own, both answering 503 as a draining instance does. */
@Controller()
class UnavailableController {
  @Get('health/ready')
  ready(): void {
    throw new ServiceUnavailableException('draining');
  }

  @Get('bookings')
  bookings(): void {
    throw new ServiceUnavailableException('draining');
  }
}

describe('RequestContextMiddleware', () => {
  let app: INestApplication;
  let logs: LogCapture;

  beforeEach(async () => {
    logs = new LogCapture();
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ service: 'test-svc', logDestination: logs })],
      controllers: [SurveyController, UnavailableController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterEach(() => app.close());

  const loggedUrl = () => logs.find('request completed')[0]?.url;

  it.each([
    ['opened', 'get', `/survey/${GUEST_TOKEN}`, '/survey/[REDACTED]'],
    ['answered', 'post', `/survey/${GUEST_TOKEN}/answers`, '/survey/[REDACTED]/answers'],
    ['opened percent-encoded', 'get', `/survey/${GUEST_TOKEN.replace('.', '%2E')}`, '/survey/[REDACTED]'],
  ] as const)(
    'should log the URL without the token when a survey link is %s',
    async (_, method, path, url) => {
      await request(app.getHttpServer())[method](path);
      expect(loggedUrl()).toBe(url);
      expect(JSON.stringify(logs.lines)).not.toContain(GUEST_TOKEN);
    },
  );

  it('should keep only the first segment of a path no route matched, which has no params to tell a token by', async () => {
    await request(app.getHttpServer()).put(`/survey/${GUEST_TOKEN}/answers`).expect(404);
    expect(loggedUrl()).toBe('/survey/[REDACTED]/[REDACTED]');
    expect(JSON.stringify(logs.lines)).not.toContain(GUEST_TOKEN);
  });

  it('should keep the other params and mask the segment when :token is only part of it', async () => {
    await request(app.getHttpServer()).get(`/survey/properties/AMS01/links/t-${GUEST_TOKEN}`);
    expect(loggedUrl()).toBe('/survey/properties/AMS01/links/[REDACTED]');
  });

  it("should log a probe answered 503 as a warning, and a service route's 503 as an error", async () => {
    await request(app.getHttpServer()).get('/health/ready').expect(503);
    await request(app.getHttpServer()).get('/bookings').expect(503);
    const levels = logs
      .find('request completed')
      .map((line) => [(line as { url?: string }).url, (line as { level?: string }).level]);
    expect(levels).toEqual([
      ['/health/ready', 'warn'],
      ['/bookings', 'error'],
    ]);
  });
});
