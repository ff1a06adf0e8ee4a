import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../clock';
import { SurveysConfig } from '../config/surveys.config';
import { InvitationSender } from './invitation-sender';

/** Runs the sender every SURVEYS_SCHEDULER_INTERVAL_MS; the schedule itself lives in Postgres. */
@Injectable()
export class InvitationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InvitationScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly sender: InvitationSender,
    private readonly clock: Clock,
    private readonly config: SurveysConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.SURVEYS_SCHEDULER_INTERVAL_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sender
        .sendDue(this.clock.now())
        .catch((error: unknown) => this.logger.error(`sending due invitations failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  /** Lets a run in flight commit before the database pool closes. */
  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
