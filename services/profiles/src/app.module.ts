import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@loyalty/platform';
import { ProfilesConfig } from './config/profiles.config';
import { GuestsAndStays1760000002000 } from './migrations/1760000002000-guests-and-stays';
import { StaysModule } from './stays/stays.module';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'profiles',
      config: ProfilesConfig,
      entities: [],
      migrations: [GuestsAndStays1760000002000],
    }),
    StaysModule,
  ],
})
export class AppModule {}
