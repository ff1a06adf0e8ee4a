import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@loyalty/platform';
import { ComplaintsConfig } from './config/complaints.config';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'complaints',
      config: ComplaintsConfig,
      entities: [],
      migrations: [],
    }),
  ],
})
export class AppModule {}
