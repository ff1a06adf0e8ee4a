import { bootstrapService } from '@loyalty/platform';
import { AppModule } from './app.module';
import { ComplaintsConfig } from './config/complaints.config';

void bootstrapService({
  module: AppModule,
  config: ComplaintsConfig,
  title: 'complaints',
  description: 'Complaint handling with SLA timers, escalation and service recovery.',
});
