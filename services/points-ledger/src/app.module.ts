import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@loyalty/platform';
import { PointsLedgerConfig } from './config/points-ledger.config';
import { StayCredits1760000001000 } from './migrations/1760000001000-stay-credits';
import { StayCreditsModule } from './stay-credits/stay-credits.module';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'points-ledger',
      config: PointsLedgerConfig,
      entities: [],
      migrations: [StayCredits1760000001000],
    }),
    StayCreditsModule,
  ],
})
export class AppModule {}
