import { bootstrapService } from '@loyalty/platform';
import { AppModule } from './app.module';
import { IngressConfig } from './config/ingress.config';

void bootstrapService({
  module: AppModule,
  config: IngressConfig,
  title: 'ingress',
  description:
    'HTTP ingress for property systems that cannot produce to Kafka: events land on the upstream topics.',
});
