import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '@loyalty/config';
import { CorrelationContext } from '../correlation/correlation-context';
import { REDACTED, REDACTED_KEYS, redactContactsInText, redactPersonalData } from './redact';

export type { Logger } from 'pino';
export { REDACTED_KEYS } from './redact';

/**
 * pino applies `formatters.log` to what each call logs, not to a child logger's bindings, so those keep
 * pino's path redaction: top level and one level down (bindings are small: a component, an id).
 */
const CHILD_BINDING_PATHS = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]);

export interface CreateLoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where JSON lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

/**
 * A pino logger writing one JSON object per line, each with `service`, ISO `time` and the correlation ids,
 * and with guest personal data and credentials (`REDACTED_KEYS`) replaced by `[REDACTED]` at any depth,
 * in a logged error's own properties too, and email addresses and phone numbers written into any text.
 */
export function createLogger({ service, level = 'info', destination }: CreateLoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: stdTimeFunctions.isoTime,
      formatters: {
        // Level names rather than numbers: log queries read `"level":"error"` more easily than 50.
        level: (label) => ({ level: label }),
        // Redaction walks the whole logged object: pino's `redact` paths have no recursive wildcard, and
        // guest data arrives nested (`{ data: { guest: { email } } }`, Nest's `params` array).
        log: (object) => redactPersonalData(object),
      },
      // An error is serialized after `formatters.log` has run, with its own properties (a driver's
      // `parameters`, a caller's `data`): redacted once it is a plain object.
      serializers: { err: (error: Error) => redactPersonalData(stdSerializers.err(error)) },
      mixin: () => ({ ...CorrelationContext.current() }),
      redact: { paths: CHILD_BINDING_PATHS, censor: REDACTED },
      hooks: { streamWrite: redactContactsInText },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
