import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { BaseServiceConfig, EnvNumber } from '@loyalty/config';

const between = (low: number, high: number) => `$property must be a number between ${low} and ${high}`;

export class ChurnWatcherConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'churn-watcher';
  override HTTP_PORT = 3005;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/churn_watcher';

  /** Risk line: a regular guest whose model probability of being active falls below this is lapsing. */
  @EnvNumber()
  @IsNumber({}, { message: between(0, 1) })
  @Min(0, { message: between(0, 1) })
  @Max(1, { message: between(0, 1) })
  CHURN_PROBABILITY_ALIVE_BELOW = 0.2;

  /** Risk line: ...or whose days since the last stay pass this multiple of their expected interval. */
  @EnvNumber()
  @IsNumber({}, { message: between(1, 10) })
  @Min(1, { message: between(1, 10) })
  @Max(10, { message: between(1, 10) })
  CHURN_INTERVAL_MULTIPLE = 1.6;

  /** Only guests with at least this many repeat stays have a pattern to drop from. */
  @EnvNumber()
  @IsInt({ message: between(1, 100) })
  @Min(1, { message: between(1, 100) })
  @Max(100, { message: between(1, 100) })
  CHURN_MIN_REPEAT_STAYS = 2;

  /** A segment gets its own model from this many guests; smaller segments use the chain-wide one. */
  @EnvNumber()
  @IsInt({ message: between(2, 10_000_000) })
  @Min(2, { message: between(2, 10_000_000) })
  @Max(10_000_000, { message: between(2, 10_000_000) })
  CHURN_MIN_SEGMENT_GUESTS = 1000;

  /** Days between refits of the models. */
  @EnvNumber()
  @IsInt({ message: between(1, 365) })
  @Min(1, { message: between(1, 365) })
  @Max(365, { message: between(1, 365) })
  CHURN_REFIT_EVERY_DAYS = 7;

  /** Hour of the day (UTC) of the daily scan. */
  @EnvNumber()
  @IsInt({ message: between(0, 23) })
  @Min(0, { message: between(0, 23) })
  @Max(23, { message: between(0, 23) })
  CHURN_SCAN_HOUR_UTC = 3;

  /** How often an instance checks whether a scheduled job is due; 0 switches the checks off. */
  @EnvNumber()
  @IsInt({ message: between(0, 86_400_000) })
  @Min(0, { message: between(0, 86_400_000) })
  @Max(86_400_000, { message: between(0, 86_400_000) })
  CHURN_SCHEDULER_POLL_MS = 60_000;
}
