import { bootstrapService } from '@loyalty/platform';
import { AppModule } from './app.module';
import { ProfilesConfig } from './config/profiles.config';

void bootstrapService({
  module: AppModule,
  config: ProfilesConfig,
  title: 'profiles',
  description: 'The single customer view: one guest across every property.',
});
