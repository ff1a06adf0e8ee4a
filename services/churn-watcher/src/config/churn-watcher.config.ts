import { applyDecorators } from '@nestjs/common';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { BACKGROUND_NICENESS, BaseServiceConfig, EnvNumber } from '@loyalty/config';

/** A numeric variable within [low, high]; a bad value stops start-up naming the variable and the range. */
function EnvInRange(low: number, high: number, kind: 'number' | 'whole number' = 'whole number') {
  const message = `$property must be a ${kind} between ${low} and ${high}`;
  return applyDecorators(
    EnvNumber(),
    kind === 'number' ? IsNumber({}, { message }) : IsInt({ message }),
    Min(low, { message }),
    Max(high, { message }),
  );
}

export class ChurnWatcherConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'churn-watcher';
  override HTTP_PORT = 3005;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/churn_watcher';
  override PROCESS_NICENESS = BACKGROUND_NICENESS;

  /** Risk line: a regular guest, once overdue, whose model probability of being active is below this... */
  @EnvInRange(0, 1, 'number')
  CHURN_PROBABILITY_ALIVE_BELOW = 0.2;

  /** ...or whose days since the last stay pass this multiple of their expected interval, is lapsing. */
  @EnvInRange(1, 10, 'number')
  CHURN_INTERVAL_MULTIPLE = 1.6;

  /** Only guests with at least this many repeat stays have a pattern to drop from. */
  @EnvInRange(1, 100)
  CHURN_MIN_REPEAT_STAYS = 2;

  /** A segment gets its own model from this many guests; smaller segments use the chain-wide one. */
  @EnvInRange(2, 10_000_000)
  CHURN_MIN_SEGMENT_GUESTS = 1000;

  /**
   * ...and this many of them with a repeat stay: the visit rates are learnt from repeat stays, so a segment
   * of first stays (a back-fill under way, a new channel) has nothing to fit and uses the chain-wide model.
   */
  @EnvInRange(1, 10_000_000)
  CHURN_MIN_SEGMENT_REPEAT_GUESTS = 100;

  /** Days between refits of the models. */
  @EnvInRange(1, 365)
  CHURN_REFIT_EVERY_DAYS = 7;

  /** Hour of the day (UTC) of the daily scan. */
  @EnvInRange(0, 23)
  CHURN_SCAN_HOUR_UTC = 3;

  /** How often an instance checks whether a scheduled job is due; 0 switches the checks off. */
  @EnvInRange(0, 86_400_000)
  CHURN_SCHEDULER_POLL_MS = 60_000;
}
