import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@loyalty/platform';
import { SurveysConfig } from './config/surveys.config';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'surveys',
      config: SurveysConfig,
      entities: [],
      migrations: [],
    }),
  ],
})
export class AppModule {}
