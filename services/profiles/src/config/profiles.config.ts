import { BaseServiceConfig } from '@loyalty/config';

export class ProfilesConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'profiles';
  override HTTP_PORT = 3001;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/profiles';
}
