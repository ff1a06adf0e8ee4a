import { bootstrapService } from '@loyalty/platform';
import { AppModule } from './app.module';
import { PointsLedgerConfig } from './config/points-ledger.config';

void bootstrapService({
  module: AppModule,
  config: PointsLedgerConfig,
  title: 'points-ledger',
  description: 'Append-only points ledger, earning rules and tiers.',
});
