import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import type { ScoredCandidate } from '../domain/identity-resolution';
import type { EvidenceKey } from './identity-evidence';

interface IdentityRow {
  source: string;
  reference: string;
  guest_id: string;
}

/**
 * Evidence many guests can hold: a name, an email (a travel agent's, a placeholder a property types for
 * guests without one), a phone (a household's, an agency's). Held by more guests than `MAX_SHARED_HOLDERS`,
 * it is a common name or a shared address, not evidence of anyone: it neither matches nor suggests.
 */
const SHARED_KINDS: ReadonlySet<string> = new Set(['similar-name', 'email', 'phone']);
const MAX_SHARED_HOLDERS = 10;

/** Whether a key of `kind` held by `holders` guests is a common name or a shared address, not evidence. */
export function isHeldTooWidely(kind: string, holders: number): boolean {
  return SHARED_KINDS.has(kind) && holders > MAX_SHARED_HOLDERS;
}

export interface MatchDecision {
  eventId?: string;
  guestId: string;
  candidateId?: string;
  outcome: 'matched' | 'created' | 'suggested' | 'merged' | 'not-same';
  rule?: string;
  score?: number;
}

/** What resolving an identity needs to know of its candidates, by guest id. */
export interface CandidateFacts {
  familyNames: Map<string, Set<string>>;
  /** Read per candidate, not looked up: a full name is no evidence of its own but corroborates. */
  fullNames: Map<string, Set<string>>;
  loyalty: Map<string, Set<string>>;
  /** The other candidates staff declared not the same person. */
  notSame: Map<string, Set<string>>;
}

export interface NewIdentity {
  guestId: string;
  key: EvidenceKey;
}

export interface Suggestion {
  guestId: string;
  candidate: ScoredCandidate;
  /** The event that raised it, for the decision log. */
  eventId?: string;
}

/** An insert whose parameters are numbered from `first`, to stand alone or share a statement. */
interface Insert {
  sql(first: number): string;
  params: unknown[];
}

const numbered = (first: number, types: string[]): string =>
  types.map((type, i) => `$${first + i}::${type}[]`).join(', ');

function identityInserts(rows: NewIdentity[]): Insert {
  return {
    sql: (first) => `insert into guest_identities (source, reference, guest_id)
       select * from unnest(${numbered(first, ['text', 'text', 'uuid'])}) on conflict do nothing`,
    params: [rows.map((r) => r.key.source), rows.map((r) => r.key.reference), rows.map((r) => r.guestId)],
  };
}

function decisionInserts(decisions: MatchDecision[]): Insert {
  return {
    sql: (first) => `insert into match_decisions (event_id, guest_id, candidate_id, outcome, rule, score)
       select * from unnest(${numbered(first, ['text', 'uuid', 'uuid', 'text', 'text', 'numeric'])})`,
    params: [
      decisions.map((d) => d.eventId ?? null),
      decisions.map((d) => d.guestId),
      decisions.map((d) => d.candidateId ?? null),
      decisions.map((d) => d.outcome),
      decisions.map((d) => d.rule ?? null),
      decisions.map((d) => d.score ?? null),
    ],
  };
}

/**
 * The strongest suggestion of each pair, which both the suggestion and its decision are written from: one
 * statement cannot update a row twice, and the log says which rule was stored. A weaker request of the batch
 * linking the same pair gets no decision: its rule was not stored, and logging the stored one under its event
 * would credit its stay with evidence it did not bring. It is as if it came after the stronger one, and a pair
 * already waiting is not logged again (see `suggestionDecisionInserts`).
 */
function strongestOfEachPair(suggestions: Suggestion[]): Suggestion[] {
  const strongest = new Map<string, Suggestion>();
  for (const suggestion of suggestions) {
    const pair = [suggestion.guestId, suggestion.candidate.guestId].sort().join('|');
    const held = strongest.get(pair);
    if (!held || held.candidate.score < suggestion.candidate.score) strongest.set(pair, suggestion);
  }
  return [...strongest.values()];
}

/**
 * A pair waiting for staff takes a stronger rule that links it again (a similar name, then the same name and
 * date of birth), so the queue ranks it by the best evidence; a pair staff decided on is left alone. Takes one
 * suggestion per pair (`strongestOfEachPair`).
 */
function suggestionInserts(strongest: Suggestion[]): Insert {
  const pairs = strongest.map((s) => [s.guestId, s.candidate.guestId].sort());
  return {
    sql: (first) => `insert into match_suggestions as s (id, guest_a, guest_b, rule, score)
       select * from unnest(${numbered(first, ['uuid', 'uuid', 'uuid', 'text', 'numeric'])})
       on conflict (guest_a, guest_b) do update set rule = excluded.rule, score = excluded.score
       where s.status = 'open' and s.score < excluded.score`,
    params: [
      strongest.map(() => randomUUID()),
      pairs.map(([guestA]) => guestA),
      pairs.map(([, guestB]) => guestB),
      strongest.map((s) => s.candidate.rule),
      strongest.map((s) => s.candidate.score),
    ],
  };
}

/**
 * The decisions of the suggestions whose pair `new_pairs` (the pairs the same statement inserted, or
 * raised to a stronger rule) holds: an open, merged or rejected pair is not logged again at every stay of a
 * returning guest. Takes the suggestions `suggestionInserts` wrote, so each decision names the stored rule.
 */
function suggestionDecisionInserts(strongest: Suggestion[]): Insert {
  return {
    sql: (first) => `insert into match_decisions (event_id, guest_id, candidate_id, outcome, rule, score)
       select s.event_id, s.guest_id, s.candidate_id, 'suggested', s.rule, s.score
       from unnest(${numbered(first, ['text', 'uuid', 'uuid', 'text', 'numeric'])})
         as s (event_id, guest_id, candidate_id, rule, score)
       join new_pairs p on p.guest_a = least(s.guest_id, s.candidate_id)
         and p.guest_b = greatest(s.guest_id, s.candidate_id)`,
    params: [
      strongest.map((s) => s.eventId ?? null),
      strongest.map((s) => s.guestId),
      strongest.map((s) => s.candidate.guestId),
      strongest.map((s) => s.candidate.rule),
      strongest.map((s) => s.candidate.score),
    ],
  };
}

/** Identity rows (ids and blind indexes), decisions and suggestions, in the caller's transaction. */
@Injectable()
export class IdentityRepository {
  /**
   * Serialises resolution per piece of evidence across concurrent transactions (stays of one guest
   * arrive on different partitions): without it, two batches could each create the same new guest.
   * Locks are taken in one global order, so two batches cannot deadlock on them.
   */
  async lockEvidence(manager: EntityManager, keys: EvidenceKey[]): Promise<void> {
    await lockKeysUntilCommit(
      manager,
      keys.map((k) => `${k.source}|${k.reference}`),
    );
  }

  /**
   * Guests holding any of these keys. A key of a kind many can hold (`SHARED_KINDS`) comes with
   * `MAX_SHARED_HOLDERS` + 1 of its guests at most: enough for `isHeldTooWidely` to tell a common name or
   * a shared address, which a batch must know when it adds guests of its own to the key's holders.
   */
  async lookup(manager: EntityManager, keys: EvidenceKey[]): Promise<IdentityRow[]> {
    if (!keys.length) return [];
    return manager.query(
      `select w.source, w.reference, unnest(holders.guests) as guest_id
       from (select distinct * from unnest($1::text[], $2::text[], $3::boolean[])) as w (source, reference, shared)
       -- Key by key through the primary key: as a join, Postgres reads every identity on file to hash them
       -- once a batch brings a hundred keys or so (more as the table grows), at every batch.
       cross join lateral (
         select array_agg(l.guest_id) as guests from (
           select i.guest_id from guest_identities i
           where i.source = w.source and i.reference = w.reference
           -- One holder more than allowed is enough to tell a common name or a shared address: a key held
           -- by thousands of guests is not read to the end on every stay.
           limit case when w.shared then $4 + 1 end) as l) as holders`,
      [
        keys.map((k) => k.source),
        keys.map((k) => k.reference),
        keys.map((k) => SHARED_KINDS.has(k.kind)),
        MAX_SHARED_HOLDERS,
      ],
    );
  }

  /**
   * For candidate guests: their family-name and full-name indexes, the loyalty numbers they hold (a survivor of a merge
   * of two members holds both) and which of them staff declared not the same person, in one round trip.
   */
  async candidateFacts(manager: EntityManager, guestIds: string[]): Promise<CandidateFacts> {
    const facts: CandidateFacts = {
      familyNames: new Map(),
      fullNames: new Map(),
      loyalty: new Map(),
      notSame: new Map(),
    };
    if (!guestIds.length) return facts;
    const rows: {
      fact: 'family-name' | 'full-name' | 'loyalty' | 'not-same';
      value: string;
      guest_id: string;
    }[] = await manager.query(
      `select source as fact, reference as value, guest_id from guest_identities
         where source in ('family-name', 'full-name', 'loyalty') and guest_id = any($1::uuid[])
         union all
         select 'not-same', guest_b::text, guest_a from match_suggestions
         where status = 'not-same' and guest_a = any($1::uuid[]) and guest_b = any($1::uuid[])`,
      [guestIds],
    );
    const heldBy = {
      'family-name': facts.familyNames,
      'full-name': facts.fullNames,
      loyalty: facts.loyalty,
    };
    const add = (held: Map<string, Set<string>>, guestId: string, value: string) =>
      held.set(guestId, (held.get(guestId) ?? new Set()).add(value));
    for (const { fact, value, guest_id: guestId } of rows) {
      if (fact === 'not-same') {
        add(facts.notSame, guestId, value);
        add(facts.notSame, value, guestId);
      } else add(heldBy[fact], guestId, value);
    }
    return facts;
  }

  async add(manager: EntityManager, rows: NewIdentity[]): Promise<void> {
    if (!rows.length) return;
    const write = identityInserts(rows);
    await manager.query(write.sql(1), write.params);
  }

  /** Deletes these keys of the guest, in the caller's transaction. */
  async remove(manager: EntityManager, guestId: string, keys: EvidenceKey[]): Promise<void> {
    if (!keys.length) return;
    await manager.query(
      `delete from guest_identities g using unnest($2::text[], $3::text[]) as k(source, reference)
       where g.guest_id = $1 and g.source = k.source and g.reference = k.reference`,
      [guestId, keys.map((k) => k.source), keys.map((k) => k.reference)],
    );
  }

  /**
   * Withdraws the guest's open review suggestions whose pair no longer shares a key that links two guests on
   * its own (a family or full name only corroborates): staff corrected the detail they rested on, and a merge
   * on evidence no longer on file would join two people. Deleted rather than closed, so that evidence found
   * later suggests the pair again; the decision row keeps the withdrawal and its rule.
   */
  async withdrawUnsupportedSuggestions(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query(
      `with withdrawn as (
         delete from match_suggestions m
         where m.status = 'open' and $1::uuid in (m.guest_a, m.guest_b) and not exists (
           select 1 from guest_identities mine join guest_identities theirs using (source, reference)
           where mine.guest_id = $1::uuid and mine.source not in ('family-name', 'full-name')
             and theirs.guest_id = case when m.guest_a = $1::uuid then m.guest_b else m.guest_a end)
         returning m.guest_a, m.guest_b, m.rule)
       insert into match_decisions (guest_id, candidate_id, outcome, rule)
       select $1::uuid, case when guest_a = $1::uuid then guest_b else guest_a end, 'withdrawn', rule
       from withdrawn`,
      [guestId],
    );
  }

  async record(manager: EntityManager, decisions: MatchDecision[]): Promise<void> {
    if (!decisions.length) return;
    const write = decisionInserts(decisions);
    await manager.query(write.sql(1), write.params);
  }

  /**
   * What one resolution learned, in one statement: the new identity rows, the match decisions, and the
   * review suggestions (a pair decided on is left alone, one waiting takes a stronger rule), with a decision
   * for each new or stronger one.
   */
  async saveResolution(
    manager: EntityManager,
    resolution: { identities: NewIdentity[]; decisions: MatchDecision[]; suggestions: Suggestion[] },
  ): Promise<void> {
    const suggestions = strongestOfEachPair(
      resolution.suggestions.filter((p) => p.guestId !== p.candidate.guestId),
    );
    const params: unknown[] = [];
    const ctes: string[] = [];
    const names: string[] = [];
    const add = (name: string, write: Insert, returning: string) => {
      ctes.push(`${name} as (${write.sql(params.length + 1)} returning ${returning})`);
      names.push(name);
      params.push(...write.params);
    };
    if (resolution.identities.length) add('identities_added', identityInserts(resolution.identities), '1');
    if (resolution.decisions.length) add('decisions_logged', decisionInserts(resolution.decisions), '1');
    if (suggestions.length) {
      add('new_pairs', suggestionInserts(suggestions), 'guest_a, guest_b');
      add('suggestions_logged', suggestionDecisionInserts(suggestions), '1');
    }
    if (!ctes.length) return;
    // A data-modifying CTE runs whether or not the statement reads it; the count only gives it a result.
    await manager.query(
      `with ${ctes.join(', ')} select ${names.map((name) => `(select count(*) from ${name})`).join(' + ')} as written`,
      params,
    );
  }

  async decidedNotSame(manager: EntityManager, a: string, b: string): Promise<boolean> {
    const [x, y] = [a, b].sort();
    const rows: unknown[] = await manager.query(
      `select 1 from match_suggestions where guest_a = $1 and guest_b = $2 and status = 'not-same'`,
      [x, y],
    );
    return rows.length > 0;
  }
}
