import { bootstrapService } from '@loyalty/platform';
import { AppModule } from './app.module';
import { SurveysConfig } from './config/surveys.config';

void bootstrapService({
  module: AppModule,
  config: SurveysConfig,
  title: 'surveys',
  description: 'Post-stay surveys, NPS and service quality.',
});
