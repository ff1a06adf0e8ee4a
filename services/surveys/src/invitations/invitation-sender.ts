import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventPublisher } from '@loyalty/messaging';
import { PostgresTimeZones, sqlStateOf } from '@loyalty/persistence';
import { Clock } from '@loyalty/platform';
import { localDateOf } from '@loyalty/time';
import { DEV_SURVEYS_TOKEN_SECRET, erasureKeyOf, SurveysConfig } from '../config/surveys.config';
import {
  awaitGuestsOfInvitationsWaitingSince,
  channelFor,
  contactExclusion,
  type InvitationChannel,
} from '../domain/eligibility';
import { skippedUnder } from '../domain/guest-merge';
import { signSurveyToken } from '../domain/survey-token';
import { chooseLanguage, type SurveyTemplate } from '../domain/templates';
import { forgetStays } from '../guests/erased-stays';
import { GuestDirectory, type KnownGuest } from '../guests/guest-directory';
import { emptyBucket } from '../domain/survey-bucket';
import { AggregateStore } from '../insight/aggregate-store';
import { PropertySettingsStore } from '../settings/property-settings';
import { TemplateStore } from '../settings/template-store';
import { stayReferenceOf, type InvitationStay } from './invitation-row';

interface DueRow extends InvitationStay {
  brand: string | null;
  time_zone: string;
  adjusted_to_zero_nights: boolean;
}

export interface SendReport {
  sent: number;
  skipped: number;
  /** Properties whose stored time zone Postgres does not know: their invitations wait. Absent when none. */
  waitingForTimeZone?: PropertyZone[];
}

export interface PropertyZone {
  propertyId: string;
  timeZone: string;
}

/** What Postgres answers `at time zone` with for a zone it does not know. */
const INVALID_PARAMETER_VALUE = '22023';

const CHUNK = 200;
const DAY_MS = 86_400_000;

/**
 * The next chunk of due invitations ($1 now, $2 and $3 the send window's hours, $4 the end of the wait
 * for news of a guest), locked. One whose guest surveys has not heard of yet is left scheduled, as the
 * send window leaves one at night: it is picked once profiles announced the guest (or one merged into
 * them) or erased them, or decided without them once the wait is over. A row a merge alone created is
 * not enough: it says nothing of the guest's channels. `greatest` ignores a null: a row planned before
 * `planned_at` was kept waits from its due time.
 *
 * The guest check looks up two guest rows per invitation, so it runs on the due rows in order, only until
 * the chunk is full: the inner query sorts them (reading invitations and properties only) and locks each as
 * it is taken, and `offset 0` keeps Postgres from moving the check below the sort, where it ran for every
 * row of a backlog on every chunk (4,000-5,000 due in a bench's burst of check-outs: 26,000 buffer hits a
 * chunk, against 2,700 now). A row taken and left for its guest stays locked until the chunk commits;
 * another instance skips it meanwhile, which it would not have sent either.
 *
 * Whether the stay was adjusted to 0 nights is read for the rows of the chunk only: an adjustment withdraws
 * the invitations it finds, so this finds those it could not, scheduled while the adjustment was handled.
 *
 * A property left out for its zone (`$5`) is left out inside a `case` before its zone is converted:
 * Postgres orders a where's conditions by their cost, and with 7 or 8 left out (a list too long to be
 * cheap, too short to be hashed) it converted the zone first, and failed every chunk for every property.
 */
const DUE_CHUNK = `
  select survey_id, stay_id, guest_id, property_id, reservation_id,
         to_char(arrival, 'YYYY-MM-DD') as arrival, to_char(departure, 'YYYY-MM-DD') as departure, brand, time_zone,
         exists (select from stay_nights n
                 where n.property_id = due.property_id and n.reservation_id = due.reservation_id and n.nights = 0)
           as adjusted_to_zero_nights
  from (
    select i.survey_id, i.stay_id, i.guest_id, i.property_id, i.reservation_id, i.arrival, i.departure,
           i.due_at, i.planned_at, p.brand, p.time_zone
    from invitations i join survey_properties p using (property_id)
    where i.state = 'scheduled' and i.due_at <= $1 and p.property_id <> all($5::text[])
      and case when p.property_id <> all($5::text[])
               then extract(hour from $1::timestamptz at time zone p.time_zone) end between $2 and $3
    order by i.due_at, i.survey_id
    offset 0
    for update of i skip locked) as due
  where greatest(due_at, planned_at) <= $4 or exists (
    select 1 from survey_guests m join survey_guests g on g.guest_id = coalesce(m.merged_into, m.guest_id)
    where m.guest_id = due.guest_id and (g.heard_of or g.erased_at is not null))
  limit ${CHUNK}`;

/**
 * Sends what is due, only while it is daytime at the property (SURVEYS_SEND_FIRST_HOUR to
 * SURVEYS_SEND_LAST_HOUR local): a check-out late at night or a backlog after an outage waits for the
 * morning. Each chunk is one transaction: the due rows are locked (`skip locked`, so two instances share
 * the work), then their guests (so a guest due in two instances' chunks is invited once), each row becomes
 * sent or skipped, and `survey-invited` joins the outbox in the same commit. A crash before the commit
 * leaves the rows scheduled for the next run; after it, they are sent and never picked again. So a
 * restart loses no invitation and sends none twice.
 */
@Injectable()
export class InvitationSender {
  private readonly logger = new Logger(InvitationSender.name);
  /** Left out of every chunk, as their zone would fail it whole (see `sendDue`). */
  private waitingForTimeZone: readonly PropertyZone[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly config: SurveysConfig,
    private readonly clock: Clock,
    private readonly timeZones: PostgresTimeZones,
  ) {
    if (config.SURVEYS_TOKEN_SECRET === DEV_SURVEYS_TOKEN_SECRET)
      this.logger.warn('SURVEYS_TOKEN_SECRET is the development default: set it outside local dev');
  }

  /**
   * Sends what is due at `asOf`, or without it what is due when each chunk starts: a run through a
   * backlog that lasts past the end of a property's window stops sending there, rather than going on as
   * if it were still the instant the run began.
   */
  async sendDue(asOf?: Date): Promise<SendReport> {
    const report: SendReport = { sent: 0, skipped: 0 };
    // Looked at again on every run while some wait: a stay bringing a zone Postgres knows, or an upgrade
    // of Postgres's zone data, lets their invitations go.
    if (this.waitingForTimeZone.length > 0) await this.findUnknownZones();
    for (;;) {
      const now = asOf ?? this.clock.now();
      let handled: number;
      try {
        handled = await this.dataSource.transaction((manager) => this.sendChunk(manager, now, report));
      } catch (error) {
        // A zone stored before stays were checked against Postgres's zones (see the README's Time zones)
        // fails the statement for every property: the others' invitations go on without it.
        const failedOnZone = sqlStateOf(error) === INVALID_PARAMETER_VALUE;
        if (!failedOnZone || !(await this.findUnknownZones({ statementFailed: true }))) throw error;
        continue;
      }
      if (handled < CHUNK) {
        if (this.waitingForTimeZone.length > 0) report.waitingForTimeZone = [...this.waitingForTimeZone];
        return report;
      }
    }
  }

  /**
   * Whether it found a property whose stored zone Postgres does not know that was not left out yet; after
   * a chunk failed on a zone (`statementFailed`), also one Postgres stopped knowing while this runs.
   */
  private async findUnknownZones(options: { statementFailed?: boolean } = {}): Promise<boolean> {
    const manager = this.dataSource.manager;
    const stored: { property_id: string; time_zone: string }[] = await manager.query(
      'select property_id, time_zone from survey_properties order by property_id',
    );
    const unknown = new Set(
      await this.timeZones.unknownOf(
        manager,
        stored.map((row) => row.time_zone),
        options,
      ),
    );
    const waiting = stored
      .filter((row) => unknown.has(row.time_zone))
      .map((row) => ({ propertyId: row.property_id, timeZone: row.time_zone }));
    const still = new Set(waiting.map((property) => property.propertyId));
    const before = new Set(this.waitingForTimeZone.map((property) => property.propertyId));
    const added = waiting.filter((property) => !before.has(property.propertyId));
    for (const { propertyId, timeZone } of added)
      this.logger.error(
        `invitations of ${propertyId} wait: Postgres does not know its time zone ${timeZone}; ` +
          'a stay of the property in a zone Postgres knows, or a Postgres with that zone, lets them go',
      );
    for (const { propertyId, timeZone } of this.waitingForTimeZone)
      if (!still.has(propertyId))
        this.logger.log(
          `invitations of ${propertyId} go again: its time zone is no longer ${timeZone}, or Postgres knows it`,
        );
    this.waitingForTimeZone = waiting;
    return added.length > 0;
  }

  private async sendChunk(manager: EntityManager, now: Date, report: SendReport): Promise<number> {
    // The due rows are locked with their guests, after the savepoint the guests' locks can be given back
    // to, and picked again if they are: every row the chunk writes is then locked and written in that
    // subtransaction, so none gets a MultiXact xmax (see `GuestDirectory.lockSettled`).
    const { locked: due, guests } = await GuestDirectory.lockForInviting(
      manager,
      (): Promise<DueRow[]> =>
        manager.query(DUE_CHUNK, [
          now,
          this.config.SURVEYS_SEND_FIRST_HOUR,
          this.config.SURVEYS_SEND_LAST_HOUR,
          awaitGuestsOfInvitationsWaitingSince(now, this.config.SURVEYS_UNKNOWN_GUEST_GRACE_HOURS),
          this.waitingForTimeZone.map((property) => property.propertyId),
        ]),
      (rows) => rows.map((row) => row.guest_id),
    );
    if (due.length === 0) return 0;
    const recontact = await PropertySettingsStore.recontactDays(manager);
    const skipped: { surveyId: string; reason: string; guestId: string | null }[] = [];
    const sends: { row: DueRow; guest: KnownGuest; channel: InvitationChannel }[] = [];
    for (const row of due) {
      const guest = guests.get(row.guest_id);
      const days = recontact.get(row.brand ?? '') ?? this.config.SURVEYS_RECONTACT_DAYS;
      const skip = row.adjusted_to_zero_nights
        ? 'adjusted-to-zero-nights'
        : contactExclusion(guest, now, days);
      if (skip || !guest) {
        // A merge or erasure leaves an invitation recorded while it ran to the sender holding it (see
        // `GuestPrivacy`), which so writes it as the merge or erasure would have.
        skipped.push({
          surveyId: row.survey_id,
          reason: skip ?? 'unknown-guest',
          guestId: skippedUnder(row.guest_id, guest),
        });
        continue;
      }
      sends.push({ row, guest, channel: channelFor(guest) as InvitationChannel });
      // One invitation per guest per recontact window, within the chunk too.
      for (const known of guests.values()) if (known.guestId === guest.guestId) known.lastInvitedAt = now;
    }
    if (skipped.length > 0) {
      await manager.query(
        `update invitations i set state = 'skipped', skip_reason = r.reason, guest_id = r.guest_id
         from unnest($1::uuid[], $2::text[], $3::uuid[]) as r(survey_id, reason, guest_id)
         where i.survey_id = r.survey_id`,
        [skipped.map((s) => s.surveyId), skipped.map((s) => s.reason), skipped.map((s) => s.guestId)],
      );
      // Under no guest: the guest was erased, and so is what names the stay.
      await forgetStays(
        manager,
        skipped.filter((s) => s.guestId === null).map((s) => s.surveyId),
        erasureKeyOf(this.config),
      );
    }
    await this.send(manager, sends, now);
    report.skipped += skipped.length;
    report.sent += sends.length;
    return due.length;
  }

  /** Marks the invitations sent, counts them per property and local day, and puts `survey-invited` out. */
  private async send(
    manager: EntityManager,
    sends: readonly { row: DueRow; guest: KnownGuest; channel: InvitationChannel }[],
    now: Date,
  ): Promise<void> {
    if (sends.length === 0) return;
    const expiresAt = new Date(now.getTime() + this.config.SURVEYS_TOKEN_TTL_DAYS * DAY_MS);
    const templates = new Map<string, SurveyTemplate>();
    const invitations = [];
    for (const { row, guest, channel } of sends) {
      const key = `${row.property_id}|${row.brand ?? ''}`;
      const template =
        templates.get(key) ?? (await TemplateStore.current(manager, row.property_id, row.brand));
      templates.set(key, template);
      invitations.push({ row, guest, channel, language: chooseLanguage(guest.preferredLanguage), template });
    }
    // The day each goes out on at its property, kept with it: its response counts against that day.
    const sentDays = invitations.map(({ row }) => localDateOf(now, row.time_zone));
    await manager.query(
      `update invitations i set state = 'sent', guest_id = r.guest_id, channel = r.channel,
         language = r.language, template_id = r.template_id, template_version = r.template_version,
         invited_at = $7, expires_at = $8, sent_day = r.sent_day
       from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $9::date[])
         as r(survey_id, guest_id, channel, language, template_id, template_version, sent_day)
       where i.survey_id = r.survey_id`,
      [
        invitations.map((i) => i.row.survey_id),
        invitations.map((i) => i.guest.guestId),
        invitations.map((i) => i.channel),
        invitations.map((i) => i.language),
        invitations.map((i) => i.template.templateId),
        invitations.map((i) => i.template.version),
        now,
        expiresAt,
        sentDays,
      ],
    );
    await GuestDirectory.markInvited(
      manager,
      invitations.map((i) => i.guest.guestId),
      now,
    );
    const invitedPerDay = new Map<string, { propertyId: string; day: string; invited: number }>();
    for (const [index, { row }] of invitations.entries()) {
      const day = sentDays[index];
      const key = `${row.property_id}|${day}`;
      const entry = invitedPerDay.get(key) ?? { propertyId: row.property_id, day, invited: 0 };
      entry.invited++;
      invitedPerDay.set(key, entry);
    }
    await AggregateStore.add(
      manager,
      [...invitedPerDay.values()].map((entry) => ({ ...entry, bucket: emptyBucket() })),
    );
    await this.publisher.publishAll(
      manager,
      'survey-invited',
      invitations.map(({ row, guest, channel, language }) => ({
        data: {
          guestId: guest.guestId,
          surveyId: row.survey_id,
          stay: stayReferenceOf(row),
          channel,
          invitedAt: now.toISOString(),
          expiresAt: expiresAt.toISOString(),
          token: signSurveyToken({ surveyId: row.survey_id, expiresAt }, this.config.SURVEYS_TOKEN_SECRET),
          language,
        },
        options: { subject: guest.guestId, propertyId: row.property_id },
      })),
    );
  }
}
