import { Injectable } from '@nestjs/common';

/** The one source of "now" for complaints, so timers and tests can cross deadlines at will. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
