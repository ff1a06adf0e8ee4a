import { BadRequestException } from '@nestjs/common';
import type { BaseServiceConfig } from '@loyalty/config';
import type { Clock } from './clock';

/**
 * The instant an operator's request runs at: now, or in tests and local runs the `asOf` it names. In
 * production the instant is the service's own: a caller's instant becomes what the operation writes and
 * decides by (points expired early, invitations sent with links already expired), so `asOf` is a 400
 * `AS_OF_NOT_ALLOWED` there. `runsAt` ends the message: what happens instead.
 */
export function operationInstant(
  clock: Clock,
  config: BaseServiceConfig,
  asOf: string | undefined,
  runsAt: string,
): Date {
  if (asOf === undefined) return clock.now();
  if (config.NODE_ENV === 'production') {
    throw new BadRequestException({
      code: 'AS_OF_NOT_ALLOWED',
      message: `asOf is refused when NODE_ENV is production: ${runsAt}`,
    });
  }
  return new Date(asOf);
}
