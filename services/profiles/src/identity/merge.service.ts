import { Injectable, Logger } from '@nestjs/common';
import { MERGE_RULES } from '@loyalty/contracts';
import type { EntityManager } from 'typeorm';
import type { Principal } from '@loyalty/auth';
import type { ScoredCandidate } from '../domain/identity-resolution';
import { chooseSurvivor, mergeFields, mergePreferences, type HeldPreference } from '../domain/survivorship';
import { AccessLog } from '../privacy/access-log';
import type { PersonalField } from '../privacy/personal-data-cipher';
import { PersonalDataRepository } from '../privacy/personal-data.repository';
import { IdentityRepository } from './identity.repository';
import { ProfilesException } from './merge.exception';
import type { Publish } from './publisher';

type MergeRule = (typeof MERGE_RULES)[number];

interface GuestRow {
  id: string;
  status: string;
  loyalty_number: string | null;
  created_at: Date;
  stays: string;
}

export interface MergeOptions {
  /**
   * Runs once both profiles are locked, before anything is read of them: a staff decision checks there that no
   * other decision about the pair committed while it waited.
   */
  whenLocked?: (manager: EntityManager) => Promise<void>;
  /** Who merges a pair staff recorded as not the same person, and why; logged with the merge. */
  overridingNotSame?: { by: Principal; reason: string };
  /** The id of the handled event that linked the pair, when a handler merges. */
  followsEvent?: string;
}

/** Folds one guest profile into another in the caller's transaction and announces it with `guest-merged`. */
@Injectable()
export class MergeService {
  private readonly logger = new Logger(MergeService.name);

  constructor(
    private readonly personalData: PersonalDataRepository,
    private readonly identities: IdentityRepository,
    private readonly accessLog: AccessLog,
  ) {}

  /**
   * A strong match between two existing profiles: merged, unless staff said they are not the same person.
   * Two members (different loyalty numbers, as they stand once locked) are suggested for review instead.
   */
  async mergeAutomatically(
    manager: EntityManager,
    a: string,
    b: string,
    { match, eventId }: { match: ScoredCandidate; eventId: string },
    publish: Publish,
  ): Promise<{ survivorId: string; mergedId: string } | undefined> {
    if (await this.identities.decidedNotSame(manager, a, b)) return undefined;
    const rows = await this.lock(manager, a, b);
    if (rows.length < 2 || rows.some((r) => r.status !== 'active')) return undefined;
    // Again once both are locked: staff's decision may have committed while this waited for the locks.
    if (await this.identities.decidedNotSame(manager, a, b)) return undefined;
    const members = new Set(rows.map((r) => r.loyalty_number).filter((number) => number !== null));
    if (members.size > 1) {
      await this.identities.saveResolution(manager, {
        identities: [],
        decisions: [],
        suggestions: [{ guestId: a, candidate: { ...match, guestId: b }, eventId }],
      });
      return undefined;
    }
    const rule = match.rule;
    return this.merge(
      manager,
      a,
      b,
      (MERGE_RULES as readonly string[]).includes(rule) ? (rule as MergeRule) : 'manual',
      publish,
      { followsEvent: eventId },
    );
  }

  /**
   * @throws ProfilesException when a profile is missing, erased or already merged, or when staff recorded the
   * pair as not the same person and the merge does not override that.
   */
  async merge(
    manager: EntityManager,
    a: string,
    b: string,
    rule: MergeRule,
    publish: Publish,
    { whenLocked, overridingNotSame, followsEvent }: MergeOptions = {},
  ): Promise<{ survivorId: string; mergedId: string }> {
    if (a === b) throw new ProfilesException('SAME_GUEST', 'a guest cannot be merged with itself');
    const rows = await this.lock(manager, a, b);
    await whenLocked?.(manager);
    for (const id of [a, b]) {
      const row = rows.find((r) => r.id === id);
      if (!row) throw new ProfilesException('GUEST_NOT_FOUND', `no guest ${id}`);
      if (row.status === 'erased')
        throw new ProfilesException('GUEST_ERASED', `guest ${id} was erased and cannot be merged`);
      if (row.status === 'merged')
        throw new ProfilesException('GUEST_ALREADY_MERGED', `guest ${id} was already merged`);
    }
    // Read under both locks, which a "not the same person" takes too: one committed while this waited is seen.
    if (await this.identities.decidedNotSame(manager, a, b)) {
      if (!overridingNotSame)
        throw new ProfilesException(
          'NOT_SAME_PERSON_RECORDED',
          `staff recorded guests ${a} and ${b} as not the same person; to merge them anyway, say so (overrideNotSamePerson) and why (reason)`,
        );
      await this.accessLog.record(
        manager,
        overridingNotSame.by,
        [a, b],
        'merge-overriding-not-same-person',
        overridingNotSame.reason,
      );
    }
    const [ra, rb] = [a, b].map((id) => rows.find((r) => r.id === id) as GuestRow);
    const toMerge = (r: GuestRow) => ({
      guestId: r.id,
      loyaltyNumber: r.loyalty_number,
      stays: Number(r.stays),
      createdAt: r.created_at.toISOString(),
    });
    const { survivor, merged } = chooseSurvivor(toMerge(ra), toMerge(rb));
    await this.moveData(manager, survivor, merged);
    const mergedAt = new Date().toISOString();
    await this.identities.record(manager, [
      { guestId: survivor, candidateId: merged, outcome: 'merged', rule },
    ]);
    publish(
      'guest-merged',
      { survivorId: survivor, mergedId: merged, rule, mergedAt },
      { subject: survivor, followsEvent },
    );
    this.logger.log(`guest ${merged} merged into ${survivor} (${rule})`);
    return { survivorId: survivor, mergedId: merged };
  }

  private async lock(manager: EntityManager, a: string, b: string): Promise<GuestRow[]> {
    return manager.query(
      `select g.id, g.status, g.loyalty_number, g.created_at,
              (select count(*) from stays s where s.guest_id = g.id) as stays
       from guests g where g.id = any($1::uuid[]) order by g.id for update`,
      [[a, b]],
    );
  }

  private async moveData(manager: EntityManager, survivor: string, merged: string): Promise<void> {
    // Best value per field, re-encrypted under the survivor's key; the merged profile's key is destroyed.
    const records = await this.personalData.readMany(manager, [survivor, merged]);
    const best = mergeFields(records.get(survivor) ?? {}, records.get(merged) ?? {});
    const keys = await this.personalData.loadKeys(manager, [survivor]);
    await manager.query('delete from guest_personal_data where guest_id = $1', [survivor]);
    await this.personalData.upsert(
      manager,
      keys,
      Object.entries(best).map(([field, v]) => ({
        guestId: survivor,
        field: field as PersonalField,
        value: v.value,
        verified: v.verified,
        source: (v as { source?: string }).source ?? 'merge',
        observedAt: v.observedAt,
      })),
    );
    await this.personalData.shred(manager, merged);
    await this.movePreferences(manager, survivor, merged);
    const params = [survivor, merged];
    for (const statement of [
      'update stays set guest_id = $1::uuid where guest_id = $2::uuid',
      'update reservations set guest_id = $1::uuid where guest_id = $2::uuid',
      'update guest_consents set guest_id = $1::uuid where guest_id = $2::uuid',
      'update open_complaints set guest_id = $1::uuid where guest_id = $2::uuid',
      `insert into guest_identities (source, reference, guest_id)
         select source, reference, $1::uuid from guest_identities where guest_id = $2::uuid on conflict do nothing`,
      'delete from guest_identities where guest_id = $2::uuid and $1::uuid is not null',
      `update match_suggestions set status = 'merged', decided_at = now()
         where status = 'open' and guest_a = least($1::uuid, $2::uuid) and guest_b = greatest($1::uuid, $2::uuid)`,
      // Staff said the merged profile is not some other guest: nor is the profile it became.
      `insert into match_suggestions as s (id, guest_a, guest_b, rule, score, status, decided_by, decided_at, created_at)
         select gen_random_uuid(), least($1::uuid, other), greatest($1::uuid, other), rule, score, 'not-same',
                decided_by, decided_at, created_at
         from (select case when guest_a = $2::uuid then guest_b else guest_a end as other, rule, score, decided_by,
                      decided_at, created_at
               from match_suggestions where status = 'not-same' and (guest_a = $2::uuid or guest_b = $2::uuid)) d
         where other <> $1::uuid
         on conflict (guest_a, guest_b) do update set status = 'not-same', decided_by = excluded.decided_by,
           decided_at = excluded.decided_at where s.status = 'open'`,
      // A pair still waiting for staff waits on as the survivor and the other guest, unless the survivor is
      // already paired with that guest (the review then covers both profiles at once).
      `insert into match_suggestions (id, guest_a, guest_b, rule, score, created_at)
         select gen_random_uuid(), least($1::uuid, other), greatest($1::uuid, other), rule, score, created_at
         from (select case when guest_a = $2::uuid then guest_b else guest_a end as other, rule, score, created_at
               from match_suggestions where status = 'open' and (guest_a = $2::uuid or guest_b = $2::uuid)) o
         where other <> $1::uuid
         on conflict (guest_a, guest_b) do nothing`,
      `delete from match_suggestions where status = 'open' and (guest_a = $2::uuid or guest_b = $2::uuid) and $1::uuid is not null`,
      `update guests s set
         loyalty_number = coalesce(s.loyalty_number, m.loyalty_number),
         country_code = coalesce(s.country_code, m.country_code),
         country_code_observed_at = case when s.country_code is null then m.country_code_observed_at
                                         else s.country_code_observed_at end,
         preferred_language = coalesce(s.preferred_language, m.preferred_language),
         preferred_language_observed_at = case when s.preferred_language is null
                                               then m.preferred_language_observed_at
                                               else s.preferred_language_observed_at end,
         updated_at = now()
       from guests m where s.id = $1::uuid and m.id = $2::uuid`,
      // The survivor keeps its own tier, taking the merged profile's only when it has none yet, as of no
      // time: the survivor's own tier-changed, handled late on another partition, still stands, as the
      // ledger's merge keeps it (and announces a tier the merge changes). And the newer last survey score
      // of the two (surveys announce a score once). Not the points balance: the ledger announces the
      // survivor's balance after the merge.
      `insert into guest_facts as f (guest_id, tier, tier_as_of, last_survey_score, last_survey_at)
         select $1::uuid, m.tier, null, m.last_survey_score, m.last_survey_at
         from guest_facts m where m.guest_id = $2::uuid and (m.tier is not null or m.last_survey_at is not null)
         on conflict (guest_id) do update set
           tier = coalesce(f.tier, excluded.tier),
           tier_as_of = case when f.tier is null then null else f.tier_as_of end,
           last_survey_score = case when excluded.last_survey_at > coalesce(f.last_survey_at, '-infinity')
                                    then excluded.last_survey_score else f.last_survey_score end,
           last_survey_at = greatest(f.last_survey_at, excluded.last_survey_at),
           updated_at = now()
         where (f.tier is null and excluded.tier is not null)
            or excluded.last_survey_at > coalesce(f.last_survey_at, '-infinity')`,
      // The survivor took over what the merged row held; kept here, erasing the survivor would miss it.
      `update guests set status = 'merged', merged_into = $1::uuid, loyalty_number = null, country_code = null,
         preferred_language = null, updated_at = now() where id = $2::uuid`,
      // Every merged id names its final survivor, so one step leads from any id to the profile it is now.
      // Both guests are locked, so no merge into the merged guest can commit after this.
      'update guests set merged_into = $1::uuid, updated_at = now() where merged_into = $2::uuid',
    ]) {
      await manager.query(statement, params);
    }
  }

  /** Both profiles' preferences, combined as `mergePreferences` says, become the survivor's. */
  private async movePreferences(manager: EntityManager, survivor: string, merged: string): Promise<void> {
    const rows: { guest_id: string; grp: string; value: string; source: string; recorded_at: Date }[] =
      await manager.query(
        'select guest_id, grp, value, source, recorded_at from guest_preferences where guest_id = any($1::uuid[])',
        [[survivor, merged]],
      );
    const heldBy = (guestId: string): HeldPreference[] =>
      rows
        .filter((row) => row.guest_id === guestId)
        .map((row) => ({
          group: row.grp,
          value: row.value,
          source: row.source,
          recordedAt: row.recorded_at.toISOString(),
        }));
    const kept = mergePreferences(heldBy(survivor), heldBy(merged));
    await manager.query('delete from guest_preferences where guest_id = any($1::uuid[])', [
      [survivor, merged],
    ]);
    await manager.query(
      `insert into guest_preferences (guest_id, grp, value, source, recorded_at)
       select $1::uuid, * from unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[])`,
      [
        survivor,
        kept.map((p) => p.group),
        kept.map((p) => p.value),
        kept.map((p) => p.source),
        kept.map((p) => p.recordedAt),
      ],
    );
  }
}
