import type { Logger } from '@nestjs/common';
import type { UnknownZone } from '../domain';

/**
 * Warns of a time zone this runtime's time-zone data does not know (`localDay`): whoever was judged in it
 * (`judged`) was judged on the UTC date instead. The tz release is named, as the cure is a runtime with
 * newer ICU data.
 */
export function warnOfUnknownZone(logger: Logger, judged: string): UnknownZone {
  return (timeZone) =>
    logger.warn(
      `time zone ${timeZone} is unknown to this runtime's time-zone data (tz ${process.versions.tz ?? 'unknown'}): ` +
        `${judged} on the UTC date instead`,
    );
}
