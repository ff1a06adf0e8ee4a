import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpStatus,
  NotFoundException,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CodedHttpExceptionFilter, withCode } from './coded-http-exception-filter';

async function refusalOf(run: () => Promise<unknown>): Promise<{ status: number; body: object }> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { status: error.getStatus(), body: error.getResponse() as object };
  }
  throw new Error('nothing was refused');
}

describe('withCode', () => {
  it("should give a malformed path id Nest's refusal a code and its message", async () => {
    const { status, body } = await refusalOf(() =>
      new ParseUUIDPipe().transform('not-a-uuid', { type: 'param', data: 'guestId' }),
    );
    expect(withCode(status, body)).toEqual({
      code: 'BAD_REQUEST',
      message: 'Validation failed (uuid is expected)',
    });
  });

  it('should name the code after the status and keep a plain message', () => {
    const unknownRoute = new NotFoundException('Cannot GET /nowhere');
    expect(withCode(unknownRoute.getStatus(), unknownRoute.getResponse())).toEqual({
      code: 'NOT_FOUND',
      message: 'Cannot GET /nowhere',
    });
    expect(withCode(HttpStatus.PAYLOAD_TOO_LARGE, 'too big')).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'too big',
    });
  });

  it('should send a body that has a code as it is', () => {
    const body = { code: 'VALIDATION_FAILED', message: 'the request is invalid', errors: [] };
    expect(withCode(HttpStatus.BAD_REQUEST, body)).toBe(body);
  });
});

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown): unknown {
    return body;
  }

  @Get('fail')
  fail(): never {
    throw new Error('select * from guests where id = 1');
  }
}

describe('CodedHttpExceptionFilter', () => {
  const BODY_LIMIT_BYTES = 1024;
  let app: NestExpressApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [EchoController] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    app.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
    app.useGlobalFilters(new CodedHttpExceptionFilter(app.getHttpAdapter()));
    await app.init();
  });

  afterAll(() => app.close());

  const postJson = () => request(app.getHttpServer()).post('/echo').set('content-type', 'application/json');

  it('should answer a body over the limit with PAYLOAD_TOO_LARGE and the limit in bytes', async () => {
    const body = JSON.stringify({ note: 'x'.repeat(2 * BODY_LIMIT_BYTES) });
    const response = await postJson().send(body);
    expect(response.status).toBe(HttpStatus.PAYLOAD_TOO_LARGE);
    expect(response.body).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: `the request body of ${Buffer.byteLength(body)} bytes is over the limit of ${BODY_LIMIT_BYTES} bytes`,
    });
  });

  it('should answer a body the parser cannot decode with a code when its encoding is unknown', async () => {
    const response = await postJson().set('content-encoding', 'rot13').send('{}');
    expect(response.status).toBe(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    expect(response.body).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'unsupported content encoding "rot13"',
    });
  });

  it('should answer malformed JSON with BAD_REQUEST as before', async () => {
    const response = await postJson().send('{"note":');
    expect(response.status).toBe(HttpStatus.BAD_REQUEST);
    expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it("should leave an unexpected error to Nest's generic 500, without its message", async () => {
    const response = await request(app.getHttpServer()).get('/echo/fail');
    expect(response.status).toBe(HttpStatus.INTERNAL_SERVER_ERROR);
    expect(response.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});
