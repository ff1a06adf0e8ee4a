import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { NestMicroservice, type MicroserviceOptions } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BaseServiceConfig, ConfigValidationError, loadConfig } from '@loyalty/config';
import { EventTransport, RethrowRpcExceptionsFilter } from '@loyalty/messaging';
import { HealthRegistry, PinoLoggerService, RequestContextMiddleware } from '@loyalty/observability';
import { lowerCpuPriority } from './cpu-priority';
import { CodedHttpExceptionFilter } from './http/coded-http-exception-filter';

// CloudEvents' structured and batched modes name their JSON with media types of their own.
const JSON_MEDIA_TYPES = [
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
];

export interface BootstrapOptions<C extends BaseServiceConfig> {
  module: Type<unknown>;
  config: Type<C>;
  title: string;
  description: string;
  /** In-process tests listen on a random port and leave process signals to jest. */
  inProcess?: boolean;
}

/**
 * Starts a service: HTTP API with OpenAPI docs at /docs, and the Kafka transport in the same process.
 * Bad configuration stops start-up at once with the variable's name; SIGTERM drains the consumer,
 * flushes the outbox and closes the database pool last.
 */
export async function bootstrapService<C extends BaseServiceConfig>(
  options: BootstrapOptions<C>,
): Promise<INestApplication> {
  let config: C;
  try {
    config = loadConfig(options.config);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  // An in-process test would lower the priority of the test runner instead.
  if (!options.inProcess) lowerCpuPriority(config.PROCESS_NICENESS);

  const express = new ExpressAdapter();
  // Whose address `req.ip` is behind a load balancer: the ingress limits failed authentications by it.
  express.set('trust proxy', config.TRUST_PROXY);
  // The request context is the app's first middleware, mounted before Nest builds the modules: ahead of
  // the body parser and of what a module mounts while it is built (the ingress's key check), so a request
  // refused there (413, malformed JSON, 401, 429) is logged, counted and answered with its correlation id
  // like any other. The app's instance is looked up on the first request: none arrives before it listens.
  let requestContext: RequestContextMiddleware | undefined;
  express.use((req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    requestContext ??= app.get<RequestContextMiddleware>(RequestContextMiddleware);
    requestContext.use(req, res, next);
  });
  const app = await NestFactory.create<NestExpressApplication>(options.module, express, {
    bufferLogs: true,
  });
  app.useBodyParser('json', {
    limit: config.HTTP_BODY_LIMIT_BYTES,
    type: JSON_MEDIA_TYPES,
    verify: refuseMalformedUtf8,
  });
  app.useLogger(app.get(PinoLoggerService));
  // HTTP only: the Kafka transport below does not inherit the app's filters.
  app.useGlobalFilters(new CodedHttpExceptionFilter(app.getHttpAdapter()));
  if (!options.inProcess) {
    const shutdown = gracefulShutdown(app, config.SHUTDOWN_TIMEOUT_MS, config.shutdownDrainMs);
    process.once('SIGTERM', (signal) => shutdown(`${signal} received`, 0));
    process.once('SIGINT', (signal) => shutdown(`${signal} received`, 0));
    if (config.EXIT_WHEN_NOT_LIVE) exitWhenNotLive(app, shutdown);
  }

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(options.title).setDescription(options.description).addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document);

  // Init hooks first (topics created, checks registered), then the consumer, then HTTP.
  await app.init();
  const transport = app.get(EventTransport);
  // Deferred so the filter is in place before the handlers are wired; the app already ran the init hooks.
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy: transport },
    { inheritAppConfig: false, deferInitialization: true },
  ) as unknown as NestMicroservice;
  microservice.useGlobalFilters(new RethrowRpcExceptionsFilter());
  microservice.setIsInitHookCalled(true);
  await app.startAllMicroservices();
  await app.listen(options.inProcess ? 0 : config.HTTP_PORT, config.HTTP_HOST);
  const niceness = config.PROCESS_NICENESS > 0 ? ` at niceness ${config.PROCESS_NICENESS}` : '';
  app.get(PinoLoggerService).log(`${config.SERVICE_NAME} listening on ${await app.getUrl()}${niceness}`);
  return app;
}

/** Drains, closes the app and exits; `why` is logged, `exitCode` is the code a close that went well exits with. */
export type Shutdown = (why: string, exitCode: number) => void;

/**
 * Drains (readiness fails while requests are still served), closes the app (consumers drained, outbox
 * flushed, pool closed) and exits with the code asked for: 0 on SIGTERM/SIGINT, where Nest's own shutdown
 * hooks would re-raise the signal, which looks like a crash to an orchestrator. A shutdown that hangs past
 * the timeout exits 1; only the first call shuts down.
 */
export function gracefulShutdown(
  app: Pick<INestApplication, 'get' | 'close'>,
  timeoutMs: number,
  drainMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): Shutdown {
  let started = false;
  return (why, exitCode) => {
    if (started) return;
    started = true;
    setTimeout(() => exit(1), drainMs + timeoutMs + 5_000).unref();
    app.get(PinoLoggerService).log(`${why}: draining`);
    closeAfterDrain(app, drainMs).then(
      () => exit(exitCode),
      (error: unknown) => {
        app.get(PinoLoggerService).error(`shutdown failed: ${String(error)}`);
        exit(1);
      },
    );
  };
}

/** A process that is not live shuts down and exits 1, for a supervisor to start it again. */
export function exitWhenNotLive(app: Pick<INestApplication, 'get'>, shutdown: Shutdown): void {
  app.get(HealthRegistry).onLivenessFailed((reason) => shutdown(`not live (${reason})`, 1));
}

/** Readiness fails for `drainMs` while the app still serves; only then does the app close. */
export async function closeAfterDrain(
  app: Pick<INestApplication, 'get' | 'close'>,
  drainMs: number,
): Promise<void> {
  await app.get(HealthRegistry).drain(drainMs);
  await app.close();
}

/**
 * A JSON body must be UTF-8 (RFC 8259), and body-parser's decoding would turn a byte that is none (a Latin-1
 * "ü" from a property system) into U+FFFD, so the request would pass with the guest's name altered. A 400,
 * as for a body that is not JSON.
 */
function refuseMalformedUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding === 'utf-8' && !isUtf8(body)) {
    throw Object.assign(new Error('the request body is not UTF-8'), {
      status: 400,
      type: 'entity.parse.failed',
    });
  }
}
