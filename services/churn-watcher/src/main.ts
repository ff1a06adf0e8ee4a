import { bootstrapService } from '@loyalty/platform';
import { AppModule } from './app.module';
import { ChurnWatcherConfig } from './config/churn-watcher.config';

void bootstrapService({
  module: AppModule,
  config: ChurnWatcherConfig,
  title: 'churn-watcher',
  description: "Notices when a guest's visit frequency drops.",
});
