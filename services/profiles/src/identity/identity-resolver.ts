import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProfilesConfig } from '../config/profiles.config';
import {
  resolveIdentity,
  type Candidate,
  type EvidenceKind,
  type Resolution,
  type ScoredCandidate,
  type Thresholds,
} from '../domain/identity-resolution';
import { normaliseEmail, normalisePhone } from '../domain/normalise';
import { contactsNowOnFile } from '../privacy/contacts-on-file';
import { PersonalDataCipher, type PersonalField } from '../privacy/personal-data-cipher';
import { PersonalDataRepository, type PersonalValue } from '../privacy/personal-data.repository';
import { evidenceOf, kindOfSource, type EvidenceKey, type IdentityInput } from './identity-evidence';
import {
  isHeldTooWidely,
  IdentityRepository,
  type CandidateFacts,
  type MatchDecision,
  type Suggestion,
} from './identity.repository';
import { MergeService } from './merge.service';
import type { Publish } from './publisher';

export interface ResolutionRequest {
  /** The event (or request) that brought the identity, for the decision log. */
  ref: string;
  propertyId?: string;
  identity: IdentityInput;
  countryCode?: string;
  preferredLanguage?: string;
  /** When the source saw these details; the newest details win per field. */
  observedAt: string;
  source: string;
}

/**
 * What a property system's event (a booking, a stay) asks of the resolver: its guest as the property
 * names them, seen at `observedAt`.
 */
export function resolutionRequestOf(
  event: {
    envelope: { id: string };
    data: { propertyId: string; guest: IdentityInput & { countryCode?: string; preferredLanguage?: string } };
  },
  observedAt: string,
): ResolutionRequest {
  const { propertyId, guest } = event.data;
  return {
    ref: event.envelope.id,
    propertyId,
    identity: guest,
    countryCode: guest.countryCode,
    preferredLanguage: guest.preferredLanguage,
    observedAt,
    source: `pms:${propertyId}`,
  };
}

const KEY_SEPARATOR = '\u0000';
const keyOf = (source: string, reference: string): string => `${source}${KEY_SEPARATOR}${reference}`;

/** Evidence that can match a guest automatically; the rest only suggests. */
const STRONG: ReadonlySet<EvidenceKind> = new Set(['loyalty-number', 'external-profile', 'email', 'phone']);
/** Evidence that no stay or booking brings (they carry no date of birth): only staff give it. */
const STAFF_GIVEN: ReadonlySet<EvidenceKind> = new Set(['name-dob']);

/**
 * Resolves identity blocks to canonical guest ids, many at a time with a few set-based queries: the
 * rules themselves are the pure `resolveIdentity`; this loads the evidence and writes the outcome.
 */
/** The name keys `candidateFacts` reads for each candidate, by the kind of key. */
const NAMES_READ_PER_CANDIDATE: Partial<Record<EvidenceKind, 'familyNames' | 'fullNames'>> = {
  'family-name': 'familyNames',
  'full-name': 'fullNames',
};

@Injectable()
export class IdentityResolver {
  private readonly thresholds: Thresholds;

  constructor(
    config: ProfilesConfig,
    private readonly cipher: PersonalDataCipher,
    private readonly identities: IdentityRepository,
    private readonly personalData: PersonalDataRepository,
    private readonly merges: MergeService,
  ) {
    this.thresholds = {
      autoMerge: config.PROFILES_AUTO_MERGE_THRESHOLD,
      review: config.PROFILES_REVIEW_THRESHOLD,
    };
  }

  /** The guest id of each request, in order; later requests see guests created by earlier ones. */
  async resolveAll(
    manager: EntityManager,
    requests: ResolutionRequest[],
    publish: Publish,
  ): Promise<string[]> {
    requests = requests.map(observedNoLaterThanNow);
    const evidence = requests.map((r) => evidenceOf(r.identity, r.propertyId, this.cipher));
    const { plan, replaced } = await this.resolveWithNewGuestsLocked(manager, requests, evidence);
    const { guestIds, created, decisions, suggestions, mergePairs, newIdentities } = plan;
    // The guests were chosen before their rows were locked: one merged or erased since then was replaced.
    for (const [from, to] of replaced) {
      const erased = !to.merged;
      if (erased && !created.includes(to.id)) created.push(to.id);
      guestIds.forEach((id, i) => {
        if (id !== from) return;
        guestIds[i] = to.id;
        // The erasure deleted what the guest held: the new profile holds all of this identity's evidence.
        if (erased) newIdentities.push(...evidence[i].map((key) => ({ guestId: to.id, key })));
      });
      for (const decision of decisions.filter((d) => d.guestId === from)) {
        decision.guestId = to.id;
        if (erased) Object.assign(decision, { outcome: 'created', rule: undefined, score: undefined });
      }
      for (const item of [...suggestions, ...newIdentities].filter((x) => x.guestId === from))
        item.guestId = to.id;
      for (const pair of mergePairs.filter((p) => p.survivor === from)) pair.survivor = to.id;
    }
    const keys = await this.personalData.keysFor(
      manager,
      created,
      [...new Set(guestIds)].filter((id) => !created.includes(id)),
    );
    const added = await this.personalData.upsert(
      manager,
      keys,
      requests.flatMap((r, i) => personalValues(r, guestIds[i])),
    );
    await this.identities.saveResolution(manager, { identities: newIdentities, decisions, suggestions });
    const requestsOf = new Map<string, ResolutionRequest[]>();
    guestIds.forEach((id, i) => requestsOf.set(id, [...(requestsOf.get(id) ?? []), requests[i]]));
    const firstRequest = (guestId: string) => (requestsOf.get(guestId) as ResolutionRequest[])[0];
    for (const guestId of created) {
      const request = firstRequest(guestId);
      publish(
        'guest-registered',
        {
          guestId,
          enrolledAt: request.observedAt,
          enrolmentChannel: 'property',
          attributes: registrationAttributes(requestsOf.get(guestId) as ResolutionRequest[]),
        },
        { subject: guestId, propertyId: request.propertyId, followsEvent: request.ref },
      );
    }
    // A returning guest who now gave an email or phone can be reached there (a new one says so on registering).
    for (const [guestId, changes] of contactsNowOnFile(added)) {
      if (created.includes(guestId)) continue;
      const request = firstRequest(guestId);
      publish(
        'guest-updated',
        { guestId, changes, updatedAt: request.observedAt },
        { subject: guestId, propertyId: request.propertyId, followsEvent: request.ref },
      );
    }
    // A merge may keep either profile; every id handed back (and later pairs) follow it to the survivor.
    const mergedInto = new Map<string, string>();
    const current = (id: string): string => {
      let at = id;
      while (mergedInto.has(at)) at = mergedInto.get(at) as string;
      return at;
    };
    for (const pair of mergePairs) {
      const [a, b] = [current(pair.survivor), current(pair.other)];
      if (a === b) continue;
      const merged = await this.merges.mergeAutomatically(manager, a, b, pair, publish);
      if (merged) mergedInto.set(merged.mergedId, merged.survivorId);
    }
    return guestIds.map(current);
  }

  /**
   * Resolves the batch and writes its guests' rows with the strong evidence of every new guest locked (see
   * `lockEvidence`) before it was looked up, so that a concurrent first stay of the same guest waits, and
   * then finds the guest, rather than making another. Which requests make a new guest is known only once the
   * batch is resolved in order (an earlier request can give the guest a later one matches another member's
   * number), and once the rows are written (a guest erased meanwhile is replaced by a new one). So when a new
   * guest's evidence turns out not locked, the locks and rows are given back, and the batch is resolved
   * again with that evidence locked too: locked again all at once, in the locks' one global order, so two
   * batches cannot deadlock on them.
   */
  private async resolveWithNewGuestsLocked(
    manager: EntityManager,
    requests: ResolutionRequest[],
    evidence: EvidenceKey[][],
  ): Promise<{ plan: BatchPlan; replaced: Map<string, { id: string; merged: boolean }> }> {
    const locked = new Map<string, EvidenceKey>();
    const notLocked = (keysOfNewGuests: EvidenceKey[][]) =>
      keysOfNewGuests.flat().filter((k) => STRONG.has(k.kind) && !locked.has(keyOf(k.source, k.reference)));
    // Advisory and row locks taken after a savepoint are released when it is rolled back to.
    await manager.query('savepoint resolving_batch');
    const lookedUp = evidence.flat().filter((k) => !NAMES_READ_PER_CANDIDATE[k.kind]);
    let holders = await this.holdersOf(manager, lookedUp);
    // Most new guests are plain to see: nobody holds any of their strong evidence. Locked before the first
    // plan, which then sees a guest a concurrent batch just made, so a batch is seldom resolved twice.
    const plainlyNew = notLocked(
      evidence.filter((keys) => !keys.some((k) => STRONG.has(k.kind) && isEvidenceOnFile(holders, k))),
    );
    if (plainlyNew.length) {
      for (const key of plainlyNew) locked.set(keyOf(key.source, key.reference), key);
      await this.identities.lockEvidence(manager, [...locked.values()]);
      // Nobody held these when read, and a guest a concurrent batch made with them has committed once they
      // are locked: they are read again. The rest stands as read before the lock, which held back no commit
      // of it: one could as well come right after a read.
      for (const [key, held] of await this.holdersOf(manager, [...locked.values()])) holders.set(key, held);
    }
    for (;;) {
      const plan = await this.plan(manager, requests, evidence, holders);
      const newGuests = new Set(plan.created);
      let unlocked = notLocked(evidence.filter((_, i) => newGuests.has(plan.guestIds[i])));
      if (!unlocked.length) {
        const replaced = await this.upsertGuests(manager, requests, plan.guestIds);
        unlocked = notLocked(evidence.filter((_, i) => replaced.get(plan.guestIds[i])?.merged === false));
        if (!unlocked.length && !(await this.matchedAnotherMember(manager, requests, plan, replaced))) {
          await manager.query('release savepoint resolving_batch');
          return { plan, replaced };
        }
      }
      // Evidence to lock, or a guest matched that became another member's: resolved again as things stand.
      await manager.query('rollback to savepoint resolving_batch');
      for (const key of unlocked) locked.set(keyOf(key.source, key.reference), key);
      await this.identities.lockEvidence(manager, [...locked.values()]);
      // The locks were given back meanwhile, and a guest resolved may be gone: everything is read anew.
      holders = await this.holdersOf(manager, lookedUp);
    }
  }

  /**
   * Whether a member's request was matched to a guest that, its row locked now, holds another member's
   * number: one that enrolled, or that the guest matched was merged into, after the candidates were read.
   * Matched as it stands, the guest would hold both members' numbers, which only staff decide (see
   * `mergeAutomatically`, which checks again likewise); resolved again, it is told apart.
   */
  private async matchedAnotherMember(
    manager: EntityManager,
    requests: ResolutionRequest[],
    plan: BatchPlan,
    replaced: Map<string, { id: string; merged: boolean }>,
  ): Promise<boolean> {
    const members = requests.flatMap((request, i) => {
      const number = request.identity.loyaltyNumber;
      const guestId = plan.guestIds[i];
      const now = replaced.get(guestId);
      if (!number || plan.created.includes(guestId) || now?.merged === false) return [];
      return [{ number, guestId: now?.id ?? guestId }];
    });
    if (!members.length) return false;
    // The numbers as candidates' facts give them, so that resolved again the batch sees what was found here.
    const { loyalty } = await this.identities.candidateFacts(manager, [
      ...new Set(members.map((m) => m.guestId)),
    ]);
    return members.some(({ number, guestId }) => {
      const held = loyalty.get(guestId);
      return held !== undefined && held.size > 0 && !held.has(number);
    });
  }

  /**
   * Resolves every request of the batch against the evidence on file (`holders`, which it adds to), in
   * order: later requests see the guests earlier ones created, their evidence and the member numbers they
   * now hold. Writes nothing.
   */
  private async plan(
    manager: EntityManager,
    requests: ResolutionRequest[],
    evidence: EvidenceKey[][],
    holders: Map<string, Set<string>>,
  ): Promise<BatchPlan> {
    const facts = await this.identities.candidateFacts(manager, holderIds(holders));
    const plan: BatchPlan = {
      guestIds: [],
      created: [],
      decisions: [],
      suggestions: [],
      mergePairs: [],
      newIdentities: [],
    };
    requests.forEach((request, i) => {
      const keys = evidence[i];
      const resolution = this.resolve(keys, holders, facts, request.identity.loyaltyNumber);
      const guestId = resolution.matched?.guestId ?? randomUUID();
      if (!resolution.matched) plan.created.push(guestId);
      // Later requests in the same batch see the member numbers the guest now holds, or takes in by a merge.
      const numbers = [guestId, ...resolution.merges.map((m) => m.guestId)].flatMap((id) => [
        ...(facts.loyalty.get(id) ?? []),
      ]);
      if (request.identity.loyaltyNumber) numbers.push(request.identity.loyaltyNumber);
      facts.loyalty.set(guestId, new Set(numbers));
      plan.decisions.push({
        eventId: request.ref,
        guestId,
        outcome: resolution.matched ? 'matched' : 'created',
        rule: resolution.matched?.rule,
        score: resolution.matched?.score,
      });
      for (const s of resolution.suggestions)
        plan.suggestions.push({ guestId, candidate: s, eventId: request.ref });
      for (const m of resolution.merges)
        plan.mergePairs.push({ survivor: guestId, other: m.guestId, match: m, eventId: request.ref });
      // Later requests in the same batch see this guest's evidence.
      for (const key of keys) {
        const id = keyOf(key.source, key.reference);
        // What the guest already holds is not written again (most keys of a returning guest).
        const names = NAMES_READ_PER_CANDIDATE[key.kind];
        const held = names ? facts[names].get(guestId)?.has(key.reference) : holders.get(id)?.has(guestId);
        if (held) continue;
        holders.set(id, (holders.get(id) ?? new Set()).add(guestId));
        if (names) facts[names].set(guestId, (facts[names].get(guestId) ?? new Set()).add(key.reference));
        plan.newIdentities.push({ guestId, key });
      }
      plan.guestIds.push(guestId);
    });
    return plan;
  }

  /**
   * Suggests the other profiles that share with a guest the evidence only staff give, once they give it: a
   * resolution never brings a date of birth to compare. Suggested at most, as `same-name-and-dob` never
   * matches automatically; a pair staff decided on is left alone.
   */
  async suggestOnStaffGivenEvidence(
    manager: EntityManager,
    guestId: string,
    keys: EvidenceKey[],
  ): Promise<void> {
    const staffGiven = keys.filter((key) => STAFF_GIVEN.has(key.kind));
    const holders = await this.holdersOf(manager, staffGiven);
    for (const held of holders.values()) held.delete(guestId);
    const others = holderIds(holders);
    if (!others.length) return;
    const facts = await this.identities.candidateFacts(manager, others);
    const { suggestions } = this.resolve(staffGiven, holders, facts, undefined);
    await this.identities.saveResolution(manager, {
      identities: [],
      decisions: [],
      suggestions: suggestions.map((candidate) => ({ guestId, candidate })),
    });
  }

  private async holdersOf(manager: EntityManager, keys: EvidenceKey[]): Promise<Map<string, Set<string>>> {
    const holders = new Map<string, Set<string>>();
    for (const row of await this.identities.lookup(manager, keys)) {
      const id = keyOf(row.source, row.reference);
      holders.set(id, (holders.get(id) ?? new Set()).add(row.guest_id));
    }
    return holders;
  }

  private resolve(
    keys: EvidenceKey[],
    holders: Map<string, Set<string>>,
    facts: CandidateFacts,
    loyaltyNumber: string | undefined,
  ): Resolution {
    return resolveIdentity(this.candidates(keys, holders, facts), this.thresholds, loyaltyNumber);
  }

  private candidates(
    keys: EvidenceKey[],
    holders: Map<string, Set<string>>,
    facts: CandidateFacts,
  ): Candidate[] {
    const shared = new Map<string, Set<EvidenceKind>>();
    for (const key of keys) {
      const holding = holders.get(keyOf(key.source, key.reference)) ?? new Set<string>();
      // The guests earlier requests of the batch made count too: a batch of an agency's bookings is no
      // evidence of anyone either.
      if (isHeldTooWidely(key.kind, holding.size)) continue;
      for (const guestId of holding) {
        shared.set(guestId, (shared.get(guestId) ?? new Set()).add(kindOfSource(key.source) ?? key.kind));
      }
    }
    const family = keys.find((k) => k.kind === 'family-name')?.reference;
    const fullName = keys.find((k) => k.kind === 'full-name')?.reference;
    return [...shared.entries()].map(([guestId, kinds]) => {
      if (family && facts.familyNames.get(guestId)?.has(family)) kinds.add('family-name');
      // The names agree as far as both give them: where the identity or the profile has no given name (no
      // full-name key), the family name is all there is to compare.
      const theirs = facts.fullNames.get(guestId);
      const namesAgree = fullName && theirs?.size ? theirs.has(fullName) : kinds.has('family-name');
      if (namesAgree) kinds.add('full-name');
      return {
        guestId,
        shared: kinds,
        loyaltyNumbers: facts.loyalty.get(guestId),
        notSameAs: facts.notSame.get(guestId),
      };
    });
  }

  /**
   * Writes the guests' rows, and only while they are active: a guest merged or erased since it was read
   * is replaced by the profile it was merged into, or by a new guest when erased. Returns the replacements.
   */
  private async upsertGuests(
    manager: EntityManager,
    requests: ResolutionRequest[],
    guestIds: string[],
  ): Promise<Map<string, { id: string; merged: boolean }>> {
    const replaced = new Map<string, { id: string; merged: boolean }>();
    let rows = new Map<string, GuestRow>();
    requests.forEach((request, i) => rows.set(guestIds[i], withRequest(rows.get(guestIds[i]), request)));
    while (rows.size) {
      const written = await this.writeActiveGuests(manager, rows);
      const missed = [...rows.keys()].filter((id) => !written.has(id));
      if (!missed.length) break;
      const states: { id: string; status: string; merged_into: string | null }[] = await manager.query(
        'select id, status, merged_into from guests where id = any($1::uuid[])',
        [missed],
      );
      const next = new Map<string, GuestRow>();
      for (const state of states) {
        const merged = state.status === 'merged' && state.merged_into !== null;
        const to = { id: merged ? (state.merged_into as string) : randomUUID(), merged };
        // A survivor merged or erased in turn: every id that led to it moves on with it.
        for (const [from, earlier] of replaced) if (earlier.id === state.id) replaced.set(from, to);
        replaced.set(state.id, to);
        next.set(to.id, rows.get(state.id) as GuestRow);
      }
      rows = next;
    }
    return replaced;
  }

  private async writeActiveGuests(manager: EntityManager, rows: Map<string, GuestRow>): Promise<Set<string>> {
    // In id order, as every writer of guest rows locks them, so concurrent batches cannot deadlock.
    const sorted = [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const ids = sorted.map(([id]) => id);
    const values = sorted.map(([, row]) => row);
    // A detail observed before the one on file (a stay handled late) leaves it: the newest per field wins.
    const newer = (field: string) =>
      `excluded.${field} is not null and (guests.${field}_observed_at is null
         or excluded.${field}_observed_at >= guests.${field}_observed_at)`;
    const written: { id: string }[] = await manager.query(
      `insert into guests (id, loyalty_number, country_code, country_code_observed_at, preferred_language,
                           preferred_language_observed_at)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[])
       on conflict (id) do update set
         loyalty_number = coalesce(guests.loyalty_number, excluded.loyalty_number),
         country_code = case when ${newer('country_code')} then excluded.country_code else guests.country_code end,
         country_code_observed_at = case when ${newer('country_code')}
           then excluded.country_code_observed_at else guests.country_code_observed_at end,
         preferred_language = case when ${newer('preferred_language')}
           then excluded.preferred_language else guests.preferred_language end,
         preferred_language_observed_at = case when ${newer('preferred_language')}
           then excluded.preferred_language_observed_at else guests.preferred_language_observed_at end,
         updated_at = now()
       where guests.status = 'active'
       returning id`,
      [
        ids,
        values.map((r) => r.loyaltyNumber),
        values.map((r) => r.countryCode?.value ?? null),
        values.map((r) => r.countryCode?.observedAt ?? null),
        values.map((r) => r.preferredLanguage?.value ?? null),
        values.map((r) => r.preferredLanguage?.observedAt ?? null),
      ],
    );
    return new Set(written.map((row) => row.id));
  }
}

/** What resolving a batch decided, to be written: each request's guest, and what the batch learned. */
interface BatchPlan {
  guestIds: string[];
  /** The guests the batch makes. */
  created: string[];
  decisions: MatchDecision[];
  suggestions: Suggestion[];
  mergePairs: { survivor: string; other: string; match: ScoredCandidate; eventId: string }[];
  newIdentities: { guestId: string; key: EvidenceKey }[];
}

/** Whether guests on file hold `key` and it tells them apart: not a common name or a shared address. */
function isEvidenceOnFile(holders: Map<string, Set<string>>, key: EvidenceKey): boolean {
  const held = holders.get(keyOf(key.source, key.reference));
  return held !== undefined && !isHeldTooWidely(key.kind, held.size);
}

/** Every guest holding one of the keys looked up, but for the holders of a common name or a shared address. */
function holderIds(holders: Map<string, Set<string>>): string[] {
  const ids = new Set<string>();
  for (const [key, held] of holders) {
    const source = key.slice(0, key.indexOf(KEY_SEPARATOR));
    if (isHeldTooWidely(kindOfSource(source) ?? source, held.size)) continue;
    for (const id of held) ids.add(id);
  }
  return [...ids];
}

/** What a batch's requests say of one guest's row: the first member number, the newest details per field. */
interface GuestRow {
  loyaltyNumber: string | null;
  countryCode?: { value: string; observedAt: string };
  preferredLanguage?: { value: string; observedAt: string };
}

function withRequest(row: GuestRow | undefined, request: ResolutionRequest): GuestRow {
  const newest = (held: { value: string; observedAt: string } | undefined, value: string | undefined) =>
    value !== undefined && (!held || Date.parse(held.observedAt) <= Date.parse(request.observedAt))
      ? { value, observedAt: request.observedAt }
      : held;
  return {
    loyaltyNumber: row?.loyaltyNumber ?? request.identity.loyaltyNumber ?? null,
    countryCode: newest(row?.countryCode, request.countryCode),
    preferredLanguage: newest(row?.preferredLanguage, request.preferredLanguage),
  };
}

/**
 * What a new guest's `guest-registered` says of it: all its requests in the batch, as its row and personal
 * data are written from them. The new guest is announced once, so a detail a later request brought is
 * never announced otherwise (and a guest no channel reaches is left out by the consumers for good).
 */
function registrationAttributes(requests: ResolutionRequest[]) {
  const row = requests.reduce<GuestRow | undefined>(withRequest, undefined) as GuestRow;
  return {
    loyaltyNumber: row.loyaltyNumber ?? undefined,
    homePropertyId: requests[0].propertyId,
    countryCode: row.countryCode?.value,
    preferredLanguage: row.preferredLanguage?.value,
    emailOnFile: requests.some((r) => Boolean(r.identity.email)),
    phoneOnFile: requests.some((r) => Boolean(r.identity.phone)),
  };
}

function personalValues(request: ResolutionRequest, guestId: string): PersonalValue[] {
  const { identity } = request;
  const fields: [PersonalField, string | undefined][] = [
    ['givenName', identity.givenName],
    ['familyName', identity.familyName],
    ['email', identity.email && normaliseEmail(identity.email)],
    ['phone', identity.phone && (normalisePhone(identity.phone) ?? identity.phone)],
    ['dateOfBirth', identity.dateOfBirth],
  ];
  return fields
    .filter((f): f is [PersonalField, string] => !!f[1])
    .map(([field, value]) => ({
      guestId,
      field,
      value,
      verified: false,
      source: request.source,
      observedAt: request.observedAt,
    }));
}

/**
 * The request as observed no later than now. Upstream clocks run ahead (a property system writing its local
 * check-out time as UTC), and a detail observed "in the future" would outrank every staff correction until
 * then, which the newest-wins rules would drop while answering 200.
 */
function observedNoLaterThanNow(request: ResolutionRequest): ResolutionRequest {
  const now = new Date();
  return Date.parse(request.observedAt) > now.getTime()
    ? { ...request, observedAt: now.toISOString() }
    : request;
}
