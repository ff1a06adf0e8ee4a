import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { LOGGER } from './logger.token';

/**
 * Nest's logger interface backed by the app's pino instance, so `app.useLogger(...)` sends Nest's own
 * lines (and every `new Logger('Context')`) out as the same JSON with correlation ids.
 *
 * Nest passes the context name as the last string argument, and a stack trace before it for errors.
 */
@Injectable()
export class PinoLoggerService implements LoggerService {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  private write(level: Level, message: unknown, optionalParams: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const params = [...optionalParams];
    const last = params[params.length - 1];
    const context = typeof last === 'string' && !isStack(last) ? params.pop() : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };

    const stack = params.find(isStack);
    if (stack !== undefined) fields.stack = stack;
    const extra = params.filter((param) => param !== stack);
    if (extra.length > 0) fields.params = extra;

    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...(message as Record<string, unknown>), ...fields });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}

function isStack(value: unknown): value is string {
  return typeof value === 'string' && /\n\s+at /.test(value);
}
