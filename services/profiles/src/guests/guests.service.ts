import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventPublisher } from '@loyalty/messaging';
import { propertyScopeFilter, type Principal } from '@loyalty/auth';
import { pageOf, type Page } from '@loyalty/platform';
import { normaliseEmail, normalisePhone } from '../domain/normalise';
import { validatePreferences } from '../domain/preferences';
import { evidenceOf, replacedKeys, type EvidenceKey } from '../identity/identity-evidence';
import { IdentityResolver } from '../identity/identity-resolver';
import { IdentityRepository } from '../identity/identity.repository';
import { ProfilesException } from '../identity/merge.exception';
import { consentUpdates, isAnnouncedPurpose, standingConsents } from '../privacy/consent-announcements';
import { contactsNowOnFile } from '../privacy/contacts-on-file';
import { AccessLog } from '../privacy/access-log';
import {
  ACCESS_LOG_CURSOR_REFUSED,
  ACCESS_LOG_PAGE_SQL,
  type AccessLogEntry,
  parseAccessLogCursor,
} from '../privacy/access-log-page';
import { PersonalDataCipher, type PersonalField } from '../privacy/personal-data-cipher';
import { PersonalDataRepository, type PersonalRecord } from '../privacy/personal-data.repository';
import type { UpdateContactsDto } from './dto/update-contacts.dto';
import type { RecordConsentDto, SetPreferencesDto } from './dto/preferences.dto';
import { ProfileCache } from './profile-cache';
import { ProfileReader, type ProfileView } from './profile.reader';

export interface SearchQuery {
  name?: string;
  email?: string;
  phone?: string;
  loyaltyNumber?: string;
  page: number;
  pageSize: number;
}

/** The fields whose verified value on file `values` would change without verifying the new one. */
function verifiedValuesKept(
  onFile: PersonalRecord,
  values: Partial<Record<PersonalField, string | undefined>>,
  verified: readonly string[],
): PersonalField[] {
  return (Object.keys(values) as PersonalField[]).filter((field) => {
    const held = onFile[field];
    const value = values[field];
    return !!value && !!held?.verified && held.value !== value && !verified.includes(field);
  });
}

/** Reading and changing profiles over HTTP: scoped, access-logged, cached. */
@Injectable()
export class GuestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: ProfileReader,
    private readonly cache: ProfileCache,
    private readonly accessLog: AccessLog,
    private readonly personalData: PersonalDataRepository,
    private readonly identities: IdentityRepository,
    private readonly resolver: IdentityResolver,
    private readonly cipher: PersonalDataCipher,
    private readonly events: EventPublisher,
  ) {}

  /** The profile, from the cache when it is there; the read is logged either way. */
  async profile(
    principal: Principal,
    guestId: string,
    reason: string,
  ): Promise<ProfileView & { cached: boolean }> {
    const manager = this.dataSource.manager;
    await this.reader.assertInScope(manager, principal, guestId);
    // Eviction alone could race a consumer's commit, so a cached view is used only at the current version.
    const state = await this.reader.cacheState(manager, guestId);
    if (!state) throw new ProfilesException('GUEST_NOT_FOUND', `no guest ${guestId}`);
    const key = state.wrappedKey ? this.cipher.unwrap(guestId, state.wrappedKey) : undefined;
    const hit = await this.cache.get<ProfileView>(guestId, key);
    const cached = hit?.version === state.version ? hit : undefined;
    const view = cached ?? (await this.reader.load(manager, guestId));
    if (!view) throw new ProfilesException('GUEST_NOT_FOUND', `no guest ${guestId}`);
    await this.accessLog.record(manager, principal, [guestId], 'read-profile', reason);
    if (!cached) await this.cache.set(guestId, view, key);
    return { ...view, cached: !!cached };
  }

  /** Finds guests by exact loyalty number, or by blind index of email, phone or family name. */
  async search(principal: Principal, query: SearchQuery, reason: string) {
    const keys = evidenceOf(
      { loyaltyNumber: query.loyaltyNumber, email: query.email, phone: query.phone, familyName: query.name },
      undefined,
      this.cipher,
    ).filter((k) => k.kind !== 'similar-name');
    if (query.phone && !normalisePhone(query.phone)) {
      throw new ProfilesException(
        'INVALID_REQUEST',
        'phone must be an international number, e.g. +31201234567',
      );
    }
    if (!keys.length)
      throw new ProfilesException('INVALID_REQUEST', 'give name, email, phone or loyaltyNumber');
    // Every given criterion must hold (an AND over the blind indexes), and a property-scoped token finds
    // only the guests who stayed or booked at one of its properties (as `assertGuestInScope` reads them).
    const scope = propertyScopeFilter(principal);
    const [found]: { total: string; page: string[] }[] = await this.dataSource.query(
      `with matches as materialized (
         select i.guest_id from guest_identities i join guests g on g.id = i.guest_id and g.status = 'active'
         where (i.source, i.reference) in (select * from unnest($1::text[], $2::text[]))
         group by i.guest_id having count(distinct i.source) = $3
           and ($4::text[] is null
             or exists (select 1 from stays s where s.guest_id = i.guest_id and s.property_id = any($4::text[]))
             or exists (select 1 from reservations r where r.guest_id = i.guest_id and r.property_id = any($4::text[]))))
       select (select count(*) from matches) as total,
         array(select guest_id::text from matches order by guest_id limit $5 offset $6) as page`,
      [
        keys.map((k) => k.source),
        keys.map((k) => k.reference),
        keys.length,
        scope === 'all' ? null : scope,
        query.pageSize,
        (query.page - 1) * query.pageSize,
      ],
    );
    const page = found.page;
    const personal = await this.personalData.readMany(this.dataSource.manager, page);
    await this.accessLog.record(this.dataSource.manager, principal, page, 'search', reason);
    return {
      total: Number(found.total),
      page: query.page,
      pageSize: query.pageSize,
      items: page.map((guestId) => ({
        guestId,
        givenName: personal.get(guestId)?.givenName?.value ?? null,
        familyName: personal.get(guestId)?.familyName?.value ?? null,
        email: personal.get(guestId)?.email?.value ?? null,
      })),
    };
  }

  async updateContacts(
    principal: Principal,
    guestId: string,
    dto: UpdateContactsDto,
    reason: string,
    ifVersion?: string,
  ): Promise<ProfileView> {
    await this.dataSource.transaction(async (manager) => {
      await this.activeInScope(manager, principal, guestId, ifVersion);
      const keys = await this.personalData.loadKeys(manager, [guestId]);
      const onFile = await this.personalData.read(manager, guestId);
      const before = this.contactEvidence(onFile);
      const now = new Date().toISOString();
      const values: Partial<Record<PersonalField, string | undefined>> = {
        givenName: dto.givenName,
        familyName: dto.familyName,
        email: dto.email && normaliseEmail(dto.email),
        phone: dto.phone && normalisePhone(dto.phone),
        dateOfBirth: dto.dateOfBirth,
        address: dto.address,
      };
      // An unverified value never replaces a verified one (a stay must not undo what staff checked), so a
      // correction that does not say it was checked would be dropped while the request answered 200.
      const kept = verifiedValuesKept(onFile, values, dto.verified ?? []);
      if (kept.length)
        throw new ProfilesException(
          'VERIFIED_VALUE_ON_FILE',
          `the ${kept.join(', ')} on file was verified with the guest: to replace it, check the new value with ` +
            `the guest and send it with verified: ${JSON.stringify(kept)}`,
          { fields: kept },
        );
      const added = await this.personalData.upsert(
        manager,
        keys,
        Object.entries(values)
          .filter((e): e is [PersonalField, string] => !!e[1])
          .map(([field, value]) => ({
            guestId,
            field,
            value,
            verified: dto.verified?.includes(field) ?? false,
            source: `staff:${principal.sub}`,
            observedAt: now,
          })),
      );
      // New details become evidence for resolving later stays of the same guest; a replaced one stops
      // being evidence, or a search by the mistyped email would still find the guest and a stay bearing it
      // would merge another person in.
      const evidence = this.contactEvidence(await this.personalData.read(manager, guestId));
      const replaced = replacedKeys(before, evidence);
      await this.identities.remove(manager, guestId, replaced);
      if (replaced.length) await this.identities.withdrawUnsupportedSuggestions(manager, guestId);
      await this.identities.add(
        manager,
        evidence.map((key) => ({ guestId, key })),
      );
      await this.resolver.suggestOnStaffGivenEvidence(manager, guestId, evidence);
      await manager.query('update guests set updated_at = now() where id = $1', [guestId]);
      const changes = contactsNowOnFile(added).get(guestId);
      if (changes)
        await this.events.publish(
          manager,
          'guest-updated',
          { guestId, changes, updatedAt: now },
          { subject: guestId },
        );
    });
    return this.afterChange(principal, guestId, 'update-contacts', reason);
  }

  async setPreferences(
    principal: Principal,
    guestId: string,
    dto: SetPreferencesDto,
    reason: string,
    ifVersion?: string,
  ): Promise<ProfileView> {
    const problems = validatePreferences(dto.preferences);
    if (problems.length) throw new ProfilesException('INVALID_PREFERENCES', problems.join('; '));
    await this.dataSource.transaction(async (manager) => {
      await this.activeInScope(manager, principal, guestId, ifVersion);
      for (const { group, values } of dto.preferences) {
        await manager.query('delete from guest_preferences where guest_id = $1 and grp = $2', [
          guestId,
          group,
        ]);
        await manager.query(
          `insert into guest_preferences (guest_id, grp, value, source, recorded_at)
           select $1, $2, v, 'stated', now() from unnest($3::text[]) as v on conflict do nothing`,
          [guestId, group, values],
        );
      }
      await manager.query('update guests set updated_at = now() where id = $1', [guestId]);
    });
    return this.afterChange(principal, guestId, 'set-preferences', reason);
  }

  /**
   * Appends to the consent history; a marketing, surveys or profiling change is announced (without personal
   * data).
   */
  async recordConsent(
    principal: Principal,
    guestId: string,
    dto: RecordConsentDto,
    reason: string,
  ): Promise<ProfileView> {
    await this.dataSource.transaction(async (manager) => {
      await this.activeInScope(manager, principal, guestId);
      await manager.query(
        `insert into guest_consents (guest_id, purpose, channel, granted, source, captured_via)
         values ($1, $2, $3, $4, $5, $6)`,
        [guestId, dto.purpose, dto.channel, dto.granted, `staff:${principal.sub}`, dto.source ?? null],
      );
      await manager.query('update guests set updated_at = now() where id = $1', [guestId]);
      // The scores were built by profiling: they leave the profile now, not at the next recompute (which
      // leaves the guest unscored while profiling stays withdrawn on any channel).
      if (dto.purpose === 'profiling' && !dto.granted)
        await manager.query(
          `update guests set rfm_recency = null, rfm_frequency = null, rfm_monetary = null, segment = null
           where id = $1`,
          [guestId],
        );
      if (isAnnouncedPurpose(dto.purpose)) {
        const standing = await standingConsents(manager, dto.purpose, [guestId]);
        // As of now, under the guest's lock, not of the row's time (when its transaction began): of two
        // decisions on one guest, the later to take the lock is announced as the later.
        await this.events.publishAll(
          manager,
          'guest-updated',
          consentUpdates(dto.purpose, standing, new Date()),
        );
      }
    });
    // Which consent, so the log tells a withdrawal from a grant without the consent history beside it.
    const decision = `${dto.purpose}/${dto.channel} ${dto.granted ? 'granted' : 'withdrawn'}`;
    return this.afterChange(principal, guestId, `record-consent ${decision}`, reason);
  }

  /**
   * One page of who read the guest's personal data, oldest first.
   * @throws ProfilesException INVALID_REQUEST when the cursor is not one this log handed out (the query's
   * DTO refuses it first; this keeps any other caller from sending Postgres one it cannot cast).
   */
  async accessHistory(
    guestId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<AccessLogEntry>> {
    const after = page.cursor === undefined ? null : parseAccessLogCursor(page.cursor);
    if (after === null && page.cursor !== undefined)
      throw new ProfilesException('INVALID_REQUEST', ACCESS_LOG_CURSOR_REFUSED);
    const rows: {
      row_id: string;
      actor: string;
      roles: string[];
      action: string;
      reason: string;
      accessed_at: Date;
    }[] = await this.dataSource.query(ACCESS_LOG_PAGE_SQL, [guestId, after, page.limit + 1]);
    const { items, nextCursor } = pageOf(rows, page.limit, (row) => [row.row_id]);
    return {
      items: items.map((r) => ({
        actor: r.actor,
        roles: r.roles,
        action: r.action,
        reason: r.reason,
        accessedAt: r.accessed_at.toISOString(),
      })),
      nextCursor,
    };
  }

  /** The identity rows the guest's personal data on file gives (not loyalty or property profile ids). */
  private contactEvidence(record: PersonalRecord): EvidenceKey[] {
    return evidenceOf(
      {
        givenName: record.givenName?.value,
        familyName: record.familyName?.value,
        email: record.email?.value,
        phone: record.phone?.value,
        dateOfBirth: record.dateOfBirth?.value,
      },
      undefined,
      this.cipher,
    );
  }

  /**
   * @param ifVersion the version the caller last read: a write that replaces what it saw there must not
   * overwrite a change made since, which it never saw.
   * @throws when the guest is outside the caller's property scope (checked first, so that a scoped token
   * learns nothing more of the id), missing or not active, or no longer at `ifVersion`.
   */
  async activeInScope(
    manager: EntityManager,
    principal: Principal,
    guestId: string,
    ifVersion?: string,
  ): Promise<void> {
    // Locked before the scope is read, so a merge cannot move the stays between the check and the change.
    const [guest]: { status: string }[] = await manager.query(
      'select status from guests where id = $1 for update',
      [guestId],
    );
    await this.reader.assertInScope(manager, principal, guestId);
    if (!guest) throw new ProfilesException('GUEST_NOT_FOUND', `no guest ${guestId}`);
    if (guest.status === 'erased') throw new ProfilesException('GUEST_ERASED', `guest ${guestId} was erased`);
    if (guest.status === 'merged')
      throw new ProfilesException('GUEST_ALREADY_MERGED', `guest ${guestId} was merged`);
    if (ifVersion === undefined) return;
    // Read under the guest's lock: no other staff write can commit between this check and this write.
    const current = (await this.reader.cacheState(manager, guestId))?.version;
    if (current !== ifVersion)
      throw new ProfilesException(
        'PRECONDITION_FAILED',
        'the profile changed since the version in If-Match: read it again and reapply the change',
        { currentVersion: current ?? '' },
      );
  }

  /** The changed profile, which holds personal data: the answer is logged like any read of it. */
  private async afterChange(
    principal: Principal,
    guestId: string,
    action: string,
    reason: string,
  ): Promise<ProfileView> {
    await this.cache.evict(guestId);
    await this.accessLog.record(this.dataSource.manager, principal, [guestId], action, reason);
    return (await this.reader.load(this.dataSource.manager, guestId)) as ProfileView;
  }
}
