import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@loyalty/platform';
import { ChurnWatcherConfig } from './config/churn-watcher.config';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'churn-watcher',
      config: ChurnWatcherConfig,
      entities: [],
      migrations: [],
    }),
  ],
})
export class AppModule {}
