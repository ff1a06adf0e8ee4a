import { Injectable } from '@nestjs/common';

/** The one source of "now" for the watcher, so the schedule and tests can run at any instant. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
