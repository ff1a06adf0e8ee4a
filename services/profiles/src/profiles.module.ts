import { Module } from '@nestjs/common';
import { GuestsController } from './guests/guests.controller';
import { GuestsService } from './guests/guests.service';
import { ProfileCache } from './guests/profile-cache';
import { ProfileReader } from './guests/profile.reader';
import { GuestSummaryController } from './guests/summary.controller';
import { IdentityResolver } from './identity/identity-resolver';
import { IdentityRepository } from './identity/identity.repository';
import { MergeService } from './identity/merge.service';
import { ReviewController } from './identity/review.controller';
import { ReviewService } from './identity/review.service';
import { ArrivalsService } from './insights/arrivals.service';
import { Guest360Consumer } from './insights/guest-360.consumer';
import { InsightsController } from './insights/insights.controller';
import { ReservationsConsumer } from './insights/reservations.consumer';
import { SegmentsService } from './insights/segments.service';
import { AccessLog } from './privacy/access-log';
import { OwedProfilingObjections } from './privacy/owed-profiling-objections';
import { PersonalDataCipher } from './privacy/personal-data-cipher';
import { PersonalDataRepository } from './privacy/personal-data.repository';
import { PrivacyController } from './privacy/privacy.controller';
import { PrivacyService } from './privacy/privacy.service';
import { PreferenceLearner } from './stays/preference-learner';
import { StayRecordingRepository } from './stays/stay-recording.repository';
import { AdjustmentSweep } from './stays/adjustment-sweep.service';
import { StaysConsumer } from './stays/stays.consumer';

/** The single customer view: identity, stays, privacy, and what other services say about a guest. */
@Module({
  controllers: [
    StaysConsumer,
    ReservationsConsumer,
    Guest360Consumer,
    GuestSummaryController,
    GuestsController,
    PrivacyController,
    ReviewController,
    InsightsController,
  ],
  providers: [
    PersonalDataCipher,
    PersonalDataRepository,
    IdentityRepository,
    IdentityResolver,
    MergeService,
    ReviewService,
    StayRecordingRepository,
    PreferenceLearner,
    ProfileCache,
    ProfileReader,
    GuestsService,
    AccessLog,
    PrivacyService,
    OwedProfilingObjections,
    ArrivalsService,
    SegmentsService,
    AdjustmentSweep,
  ],
})
export class ProfilesModule {}
