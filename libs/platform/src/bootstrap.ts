import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BaseServiceConfig, ConfigValidationError, loadConfig } from '@loyalty/config';
import { EventTransport, RethrowRpcExceptionsFilter } from '@loyalty/messaging';
import { PinoLoggerService } from '@loyalty/observability';

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
export async function bootstrapService<C extends BaseServiceConfig>(options: BootstrapOptions<C>): Promise<INestApplication> {
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

  const app = await NestFactory.create(options.module, { bufferLogs: true });
  app.useLogger(app.get(PinoLoggerService));
  if (!options.inProcess) {
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    forceExitIfShutdownHangs(config.SHUTDOWN_TIMEOUT_MS);
  }

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(options.title).setDescription(options.description).addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document);

  const transport = app.get(EventTransport);
  const microservice = app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
  microservice.useGlobalFilters(new RethrowRpcExceptionsFilter());
  await app.startAllMicroservices();
  await app.listen(options.inProcess ? 0 : config.HTTP_PORT, config.HTTP_HOST);
  app.get(PinoLoggerService).log(`${config.SERVICE_NAME} listening on ${await app.getUrl()}`);
  return app;
}

function forceExitIfShutdownHangs(timeoutMs: number): void {
  const arm = () => setTimeout(() => process.exit(1), timeoutMs + 5_000).unref();
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
