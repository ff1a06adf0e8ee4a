import { BaseServiceConfig } from '@loyalty/config';

export class ComplaintsConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'complaints';
  override HTTP_PORT = 3004;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/complaints';
}
