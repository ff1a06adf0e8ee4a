import { BaseServiceConfig } from '@loyalty/config';

export class PointsLedgerConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'points-ledger';
  override HTTP_PORT = 3002;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/points_ledger';
}
