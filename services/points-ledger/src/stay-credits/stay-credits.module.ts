import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { StayCreditsConsumer } from './stay-credits.consumer';
import { StayCreditsRepository } from './stay-credits.repository';

@Module({
  controllers: [StayCreditsConsumer, AccountsController],
  providers: [StayCreditsRepository],
})
export class StayCreditsModule {}
