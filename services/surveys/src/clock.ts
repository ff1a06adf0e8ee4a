import { Injectable } from '@nestjs/common';

/** The one source of "now" for surveys, so the scheduler, token expiry and tests agree on the time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
