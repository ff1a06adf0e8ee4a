import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@loyalty/platform';
import { ProfilesConfig } from './config/profiles.config';
import { GuestsAndStays1760000002000 } from './migrations/1760000002000-guests-and-stays';
import { IdentityPrivacyAndViews1760000002100 } from './migrations/1760000002100-identity-privacy-and-views';
import { LearnedPreferences1760000002200 } from './migrations/1760000002200-learned-preferences';
import { ProfilesModule } from './profiles.module';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'profiles',
      config: ProfilesConfig,
      entities: [],
      migrations: [
        GuestsAndStays1760000002000,
        IdentityPrivacyAndViews1760000002100,
        LearnedPreferences1760000002200,
      ],
    }),
    ProfilesModule,
  ],
})
export class AppModule {}
