import { Injectable } from '@nestjs/common';

/** A service's one source of "now", so its schedules, deadlines and tests can run at any instant. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
