import { BaseServiceConfig } from '@loyalty/config';

export class SurveysConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'surveys';
  override HTTP_PORT = 3003;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/surveys';
}
