import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { BACKGROUND_NICENESS, BaseServiceConfig, EnvNumber } from '@loyalty/config';

function wholeBetween(min: number, max: number, unit: string): PropertyDecorator {
  const message = `$property must be a whole number of ${unit} between ${min} and ${max}`;
  return applyDecorators(IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

export class ComplaintsConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'complaints';
  override HTTP_PORT = 3004;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/complaints';
  override PROCESS_NICENESS = BACKGROUND_NICENESS;

  /**
   * How often each instance looks for SLA timers that have run out, and for events migrations owe; 0 switches
   * the scanner off (owed events are then published only as an instance starts).
   */
  @EnvNumber()
  @wholeBetween(0, 3_600_000, 'milliseconds')
  COMPLAINTS_SLA_SCAN_INTERVAL_MS = 5_000;

  /** How many days after its resolution the guest may still reopen a complaint. */
  @EnvNumber()
  @wholeBetween(0, 365, 'days')
  COMPLAINTS_REOPEN_DAYS = 14;

  /** How long the follow-up call may take; after that a resolved complaint closes without an answer. */
  @EnvNumber()
  @wholeBetween(1, 90, 'days')
  COMPLAINTS_FOLLOW_UP_DAYS = 7;
}
