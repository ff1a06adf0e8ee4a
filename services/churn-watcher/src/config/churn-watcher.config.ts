import { BaseServiceConfig } from '@loyalty/config';

export class ChurnWatcherConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'churn-watcher';
  override HTTP_PORT = 3005;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/churn_watcher';
}
