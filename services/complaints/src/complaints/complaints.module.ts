import { Module } from '@nestjs/common';
import { Clock } from '@loyalty/platform';
import { GuestTombstones, PostgresTimeZones } from '@loyalty/persistence';
import { GuestFacts } from '../guests/guest-facts.store';
import { GuestLifecycle } from '../guests/guest-lifecycle.service';
import { InsightsController } from '../insights/insights.controller';
import { Insights } from '../insights/insights.service';
import { CompensationsController } from '../recovery/compensations.controller';
import { Compensations } from '../recovery/compensations.service';
import { CalendarsController } from '../sla/calendars.controller';
import { Escalation } from '../sla/escalation.service';
import { SlaCalendars } from '../sla/sla-calendars.service';
import { SlaScanner } from '../sla/sla-scanner.service';
import { SlaTimers } from '../sla/sla-timers.service';
import { TimerStore } from '../sla/timer-store';
import { AuditTrail } from './audit-trail';
import { ComplaintCommands } from './complaint-commands.service';
import { ComplaintHistory } from './complaint-history';
import { ComplaintIntake } from './complaint-intake.service';
import { ComplaintQueries } from './complaint-queries.service';
import { ComplaintStore } from './complaint-store';
import { ComplaintTriage } from './complaint-triage.service';
import { ComplaintWorkflow } from './complaint-workflow.service';
import { ComplaintsConsumer } from './complaints.consumer';
import { ComplaintsController } from './complaints.controller';
import { ComplaintTransitionsController } from './complaint-transitions.controller';
import { OwedEvents } from './owed-events';

@Module({
  controllers: [
    ComplaintsConsumer,
    ComplaintsController,
    ComplaintTransitionsController,
    CompensationsController,
    CalendarsController,
    InsightsController,
  ],
  providers: [
    Clock,
    ComplaintStore,
    AuditTrail,
    ComplaintHistory,
    TimerStore,
    SlaCalendars,
    SlaTimers,
    GuestFacts,
    GuestTombstones,
    PostgresTimeZones,
    GuestLifecycle,
    ComplaintIntake,
    ComplaintWorkflow,
    ComplaintTriage,
    Escalation,
    Compensations,
    ComplaintCommands,
    ComplaintQueries,
    SlaScanner,
    Insights,
    OwedEvents,
  ],
})
export class ComplaintsModule {}
