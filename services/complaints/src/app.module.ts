import { Module } from '@nestjs/common';
import { BATCHING_FETCH } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import { ComplaintsModule } from './complaints/complaints.module';
import { ComplaintsConfig } from './config/complaints.config';
import { Complaints1760000004000 } from './migrations/1760000004000-complaints';
import { CompensationRequestKeys1760000004100 } from './migrations/1760000004100-compensation-request-keys';
import { IntakeKeysPerProperty1760000004200 } from './migrations/1760000004200-intake-keys-per-property';
import { GuestTombstones1760000004300 } from './migrations/1760000004300-guest-tombstones';
import { RequestFingerprints1760000004400 } from './migrations/1760000004400-request-fingerprints';
import { StayTimeZones1760000004500 } from './migrations/1760000004500-stay-time-zones';
import { ErasedGuestsText1760000004600 } from './migrations/1760000004600-erased-guests-text';
import { CompensationsByApprover1760000004700 } from './migrations/1760000004700-compensations-by-approver';
import { ReasonsGiven1760000004800 } from './migrations/1760000004800-reasons-given';
import { ComplaintsByResolution1760000004900 } from './migrations/1760000004900-complaints-by-resolution';
import { DuplicatesByOriginal1760000005000 } from './migrations/1760000005000-duplicates-by-original';
import { DuplicatesOfStandingOriginals1760000005100 } from './migrations/1760000005100-duplicates-of-standing-originals';
import { DuplicatesOfCancelledOriginals1760000005200 } from './migrations/1760000005200-duplicates-of-cancelled-originals';
import { TakeUpsToAnnounce1760000005300 } from './migrations/1760000005300-take-ups-to-announce';
import { TimersSetAside1760000005400 } from './migrations/1760000005400-timers-set-aside';
import { CalendarChanges1760000005500 } from './migrations/1760000005500-calendar-changes';
import { TimerWaits1760000005600 } from './migrations/1760000005600-timer-waits';
import { TimerWaitsFromAudit1760000005700 } from './migrations/1760000005700-timer-waits-from-audit';
import { CompensationsDeclined1760000005800 } from './migrations/1760000005800-compensations-declined';
import { ComplaintsByDate1760000005900 } from './migrations/1760000005900-complaints-by-date';

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'complaints',
      config: ComplaintsConfig,
      entities: [],
      migrations: [
        Complaints1760000004000,
        CompensationRequestKeys1760000004100,
        IntakeKeysPerProperty1760000004200,
        GuestTombstones1760000004300,
        RequestFingerprints1760000004400,
        StayTimeZones1760000004500,
        ErasedGuestsText1760000004600,
        CompensationsByApprover1760000004700,
        ReasonsGiven1760000004800,
        ComplaintsByResolution1760000004900,
        DuplicatesByOriginal1760000005000,
        DuplicatesOfStandingOriginals1760000005100,
        DuplicatesOfCancelledOriginals1760000005200,
        TakeUpsToAnnounce1760000005300,
        TimersSetAside1760000005400,
        CalendarChanges1760000005500,
        TimerWaits1760000005600,
        TimerWaitsFromAudit1760000005700,
        CompensationsDeclined1760000005800,
        ComplaintsByDate1760000005900,
      ],
      messaging: { transport: { fetch: BATCHING_FETCH } },
    }),
    ComplaintsModule,
  ],
})
export class AppModule {}
