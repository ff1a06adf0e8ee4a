import { Module } from '@nestjs/common';
import type { MessagingOptions } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import { ProfilesConfig } from './config/profiles.config';
import { GuestsAndStays1760000002000 } from './migrations/1760000002000-guests-and-stays';
import { IdentityPrivacyAndViews1760000002100 } from './migrations/1760000002100-identity-privacy-and-views';
import { LearnedPreferences1760000002200 } from './migrations/1760000002200-learned-preferences';
import { ProfilesModule } from './profiles.module';

/**
 * Stays are the hot path (stay-completed to stay-recorded); in a lane of their own, the points-earned,
 * tier-changed and other batches profiles also reads no longer wait in the same fetch cycle.
 */
const PROFILES_MESSAGING: MessagingOptions = { transport: { lanes: [['stay-completed']] } };

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
      messaging: PROFILES_MESSAGING,
    }),
    ProfilesModule,
  ],
})
export class AppModule {}
