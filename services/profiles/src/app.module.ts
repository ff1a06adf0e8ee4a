import { Module } from '@nestjs/common';
import { BATCHING_FETCH, HOT_PATH_FETCH, type MessagingOptions } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import { ProfilesConfig } from './config/profiles.config';
import { GuestsAndStays1760000002000 } from './migrations/1760000002000-guests-and-stays';
import { IdentityPrivacyAndViews1760000002100 } from './migrations/1760000002100-identity-privacy-and-views';
import { LearnedPreferences1760000002200 } from './migrations/1760000002200-learned-preferences';
import { GuestFacts1760000002300 } from './migrations/1760000002300-guest-facts';
import { MatchDecisionsByGuest1760000002400 } from './migrations/1760000002400-match-decisions-by-guest';
import { DropRedundantStaysGuestIndex1760000002500 } from './migrations/1760000002500-drop-redundant-stays-guest-index';
import { ReservationCancellationPlaceholders1760000002600 } from './migrations/1760000002600-reservation-cancellation-placeholders';
import { FlattenMergeChains1760000002700 } from './migrations/1760000002700-flatten-merge-chains';
import { StayAdjustments1760000002800 } from './migrations/1760000002800-stay-adjustments';
import { StayAdjustmentReceivedAt1760000002900 } from './migrations/1760000002900-stay-adjustment-received-at';
import { ReservationsByGuest1760000002950 } from './migrations/1760000002950-reservations-by-guest';
import { FactsLeftOnMergedProfiles1760000003000 } from './migrations/1760000003000-facts-left-on-merged-profiles';
import { ReopenedComplaints1760000003100 } from './migrations/1760000003100-reopened-complaints';
import { AccessLogInIdOrder1760000003200 } from './migrations/1760000003200-access-log-in-id-order';
import { EmailKeysInNfc1760000003300 } from './migrations/1760000003300-email-keys-in-nfc';
import { NameKeysInEveryScript1760000003400 } from './migrations/1760000003400-name-keys-in-every-script';
import { NameKeysWithoutVowelMarks1760000003500 } from './migrations/1760000003500-name-keys-without-vowel-marks';
import { PointsBalanceSequence1760000003600 } from './migrations/1760000003600-points-balance-sequence';
import { FullNameKeys1760000003700 } from './migrations/1760000003700-full-name-keys';
import { ConsentCaptureChannel1760000003800 } from './migrations/1760000003800-consent-capture-channel';
import { ReclassifiedComplaints1760000003900 } from './migrations/1760000003900-reclassified-complaints';
import { MatchDecisionsByCandidate1760000003950 } from './migrations/1760000003950-match-decisions-by-candidate';
import { GuestDetailsObservedAt1760000004000 } from './migrations/1760000004000-guest-details-observed-at';
import { LookupsByStaySurvivorAndPair1760000004100 } from './migrations/1760000004100-lookups-by-stay-survivor-and-pair';
import { ReviewQueueInOrderAndScope1760000004200 } from './migrations/1760000004200-review-queue-in-order-and-scope';
import { ProfilingObjectionsOwed1760000004300 } from './migrations/1760000004300-profiling-objections-owed';
import { ProfilesModule } from './profiles.module';

/**
 * Stays are the hot path (stay-completed to stay-recorded): in a lane of their own, fetched at once,
 * they no longer wait in one fetch cycle with the points-earned, tier-changed and other batches
 * profiles reads, which are fetched in larger batches that take the event loop less often.
 */
const PROFILES_MESSAGING: MessagingOptions = {
  transport: { fetch: BATCHING_FETCH, lanes: [{ types: ['stay-completed'], fetch: HOT_PATH_FETCH }] },
};

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
        GuestFacts1760000002300,
        MatchDecisionsByGuest1760000002400,
        DropRedundantStaysGuestIndex1760000002500,
        ReservationCancellationPlaceholders1760000002600,
        FlattenMergeChains1760000002700,
        StayAdjustments1760000002800,
        StayAdjustmentReceivedAt1760000002900,
        ReservationsByGuest1760000002950,
        FactsLeftOnMergedProfiles1760000003000,
        ReopenedComplaints1760000003100,
        AccessLogInIdOrder1760000003200,
        EmailKeysInNfc1760000003300,
        NameKeysInEveryScript1760000003400,
        NameKeysWithoutVowelMarks1760000003500,
        PointsBalanceSequence1760000003600,
        FullNameKeys1760000003700,
        ConsentCaptureChannel1760000003800,
        ReclassifiedComplaints1760000003900,
        MatchDecisionsByCandidate1760000003950,
        GuestDetailsObservedAt1760000004000,
        LookupsByStaySurvivorAndPair1760000004100,
        ReviewQueueInOrderAndScope1760000004200,
        ProfilingObjectionsOwed1760000004300,
      ],
      messaging: PROFILES_MESSAGING,
      // The profile cache.
      redis: true,
    }),
    ProfilesModule,
  ],
})
export class AppModule {}
