import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '@loyalty/config';
import { CorrelationContext } from '../correlation/correlation-context';

export type { Logger } from 'pino';

const PERSONAL_FIELDS = ['email', 'phone', 'password', 'firstName', 'lastName'];

/**
 * Paths pino replaces with `[REDACTED]`: guest PII and credentials at the top level of the logged
 * object and one level down (`{ guest: { email } }`). Deeper nesting is not covered (pino's redaction
 * has no recursive wildcard), so log ids, not whole guest records.
 */
export const REDACTED_PATHS: readonly string[] = [
  ...PERSONAL_FIELDS,
  ...PERSONAL_FIELDS.map((field) => `*.${field}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export interface CreateLoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where JSON lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

/** A pino logger writing one JSON object per line, each with `service`, ISO `time` and the correlation ids. */
export function createLogger({ service, level = 'info', destination }: CreateLoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: stdTimeFunctions.isoTime,
      // Level names rather than numbers: log queries read `"level":"error"` more easily than 50.
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...CorrelationContext.current() }),
      redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
