import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventPublisher } from '@loyalty/messaging';
import { localDateOf } from '@loyalty/time';
import { DEV_SURVEYS_TOKEN_SECRET, SurveysConfig } from '../config/surveys.config';
import { channelFor, contactExclusion, type InvitationChannel } from '../domain/eligibility';
import { signSurveyToken } from '../domain/survey-token';
import { chooseLanguage } from '../domain/templates';
import { GuestDirectory, type KnownGuest } from '../guests/guest-directory';
import { emptyBucket } from '../domain/survey-bucket';
import { AggregateStore } from '../insight/aggregate-store';
import { PropertySettingsStore } from '../settings/property-settings';
import { TemplateStore } from '../settings/template-store';
import { stayReferenceOf, type InvitationStay } from './invitation-row';

interface DueRow extends InvitationStay {
  brand: string | null;
  time_zone: string;
}

export interface SendReport {
  sent: number;
  skipped: number;
}

const CHUNK = 200;
const DAY_MS = 86_400_000;

/**
 * Sends what is due. Each chunk is one transaction: the due rows are locked (`skip locked`, so two
 * instances share the work), each becomes sent or skipped, and `survey-invited` joins the outbox in the
 * same commit. A crash before the commit leaves the rows scheduled for the next run; after it, they are
 * sent and never picked again. So a restart loses no invitation and sends none twice.
 */
@Injectable()
export class InvitationSender {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly config: SurveysConfig,
  ) {
    if (config.SURVEYS_TOKEN_SECRET === DEV_SURVEYS_TOKEN_SECRET)
      new Logger(InvitationSender.name).warn(
        'SURVEYS_TOKEN_SECRET is the development default: set it outside local dev',
      );
  }

  async sendDue(now: Date): Promise<SendReport> {
    const report: SendReport = { sent: 0, skipped: 0 };
    for (;;) {
      const handled = await this.dataSource.transaction((manager) => this.sendChunk(manager, now, report));
      if (handled < CHUNK) return report;
    }
  }

  private async sendChunk(manager: EntityManager, now: Date, report: SendReport): Promise<number> {
    const due: DueRow[] = await manager.query(
      `select i.survey_id, i.stay_id, i.guest_id, i.property_id, i.reservation_id,
              to_char(i.arrival, 'YYYY-MM-DD') as arrival, to_char(i.departure, 'YYYY-MM-DD') as departure,
              p.brand, p.time_zone
       from invitations i join survey_properties p using (property_id)
       where i.state = 'scheduled' and i.due_at <= $1
       order by i.due_at, i.survey_id limit ${CHUNK} for update of i skip locked`,
      [now],
    );
    if (due.length === 0) return 0;
    const guests = await GuestDirectory.load(manager, [...new Set(due.map((row) => row.guest_id))]);
    const recontact = await PropertySettingsStore.recontactDays(manager);
    const skipped: { surveyId: string; reason: string }[] = [];
    for (const row of due) {
      const guest = guests.get(row.guest_id);
      const days = recontact.get(row.brand ?? '') ?? this.config.SURVEYS_RECONTACT_DAYS;
      const skip = contactExclusion(guest, now, days);
      if (skip || !guest) {
        skipped.push({ surveyId: row.survey_id, reason: skip ?? 'no-channel' });
        continue;
      }
      await this.send(manager, row, guest, channelFor(guest) as InvitationChannel, now);
      for (const known of guests.values()) if (known.guestId === guest.guestId) known.lastInvitedAt = now;
      report.sent++;
    }
    if (skipped.length > 0) {
      await manager.query(
        `update invitations i set state = 'skipped', skip_reason = r.reason
         from unnest($1::uuid[], $2::text[]) as r(survey_id, reason) where i.survey_id = r.survey_id`,
        [skipped.map((s) => s.surveyId), skipped.map((s) => s.reason)],
      );
      report.skipped += skipped.length;
    }
    return due.length;
  }

  private async send(
    manager: EntityManager,
    row: DueRow,
    guest: KnownGuest,
    channel: InvitationChannel,
    now: Date,
  ): Promise<void> {
    const expiresAt = new Date(now.getTime() + this.config.SURVEYS_TOKEN_TTL_DAYS * DAY_MS);
    const language = chooseLanguage(guest.preferredLanguage);
    const template = await TemplateStore.current(manager, row.property_id, row.brand);
    await manager.query(
      `update invitations set state = 'sent', guest_id = $2, channel = $3, language = $4, template_id = $5,
         template_version = $6, invited_at = $7, expires_at = $8 where survey_id = $1`,
      [
        row.survey_id,
        guest.guestId,
        channel,
        language,
        template.templateId,
        template.version,
        now,
        expiresAt,
      ],
    );
    await GuestDirectory.markInvited(manager, guest.guestId, now);
    await AggregateStore.add(manager, [
      {
        propertyId: row.property_id,
        day: localDateOf(now, row.time_zone),
        invited: 1,
        bucket: emptyBucket(),
      },
    ]);
    await this.publisher.publish(
      manager,
      'survey-invited',
      {
        guestId: guest.guestId,
        surveyId: row.survey_id,
        stay: stayReferenceOf(row),
        channel,
        invitedAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
        token: signSurveyToken({ surveyId: row.survey_id, expiresAt }, this.config.SURVEYS_TOKEN_SECRET),
        language,
      },
      { subject: guest.guestId, propertyId: row.property_id },
    );
  }
}
