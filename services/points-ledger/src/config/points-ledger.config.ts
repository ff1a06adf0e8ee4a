import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, EnvNumber } from '@loyalty/config';

export class PointsLedgerConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'points-ledger';
  override HTTP_PORT = 3002;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/points_ledger';

  /** How often the scheduled ledger jobs (pending lots, holds, expiry, notices) run; 0 switches them off. */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  @Min(0, { message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  @Max(86_400_000, { message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  LEDGER_JOB_INTERVAL_MS = 60_000;
}
