import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from '@loyalty/platform';
import { SurveysConfig } from '../config/surveys.config';
import { InvitationSender } from './invitation-sender';

/** Runs the sender every SURVEYS_SCHEDULER_INTERVAL_MS; the schedule itself lives in Postgres. */
@Injectable()
export class InvitationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InvitationScheduler.name);
  private readonly task = new PeriodicTask(
    'sending due invitations',
    () => this.sender.sendDue(),
    this.logger,
  );

  constructor(
    private readonly sender: InvitationSender,
    private readonly config: SurveysConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.SURVEYS_SCHEDULER_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
