import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import type { GuestContact } from '../domain/eligibility';
import { finalSurvivors, foldMergedGuest, type GuestFacts } from '../domain/guest-merge';

type Attributes = Pick<
  EventData<'guest-registered'>['attributes'],
  'preferredLanguage' | 'surveysConsent' | 'emailOnFile' | 'phoneOnFile'
>;

export interface GuestAttributes {
  guestId: string;
  attributes: Attributes;
  /** When profiles made the change: an update's `updatedAt`, a registration's `enrolledAt`. */
  asOf: Date;
}

/** A guest's news of a batch, folded (`foldInOrder`): with the instant of the consent it carries. */
type FoldedNews = Attributes & Pick<GuestFacts, 'surveysConsentAsOf'>;

/** A `survey_guests` row as selected with `*`. */
export interface GuestRow {
  guest_id: string;
  merged_into: string | null;
  erased_at: Date | null;
  heard_of: boolean;
  preferred_language: string | null;
  surveys_consent: boolean | null;
  surveys_consent_as_of: Date | null;
  email_on_file: boolean;
  phone_on_file: boolean;
  last_invited_at: Date | null;
}

export interface KnownGuest extends GuestContact {
  guestId: string;
  preferredLanguage?: string;
}

/** A guest's row as stored: its own facts, not followed to a merge survivor. */
export interface StoredGuest extends GuestFacts {
  erasedAt: Date | null;
}

/**
 * What surveys keeps of a guest, from profiles' events: whether they can be reached and want surveys,
 * their language and when they were last invited. No names or addresses ever reach surveys.
 */
export const GuestDirectory = {
  /**
   * Keeps what each event says of its guest. A guest's events are folded in order first (a later value
   * wins, an absent one keeps the earlier; of consents, the one profiles gave last), as one statement may
   * change a row only once. A consent is kept with the instant profiles gave it (`surveysConsentAsOf`):
   * news can be handled long after newer news (a dead letter replayed, a merge handled before the
   * survivor's older update), and older news of consent can only refuse (`updateOwn`). News of an id
   * merged away is its final survivor's, folded in as the merge folds it (`foldMergedGuest`): merges come
   * keyed by the survivor, on another topic, so they can be handled first. A survivor's own registration
   * handled after a merge into them is folded in that way too (`foldRegistrationsIntoMerged`). Any news,
   * even of nothing, makes the guest heard of, so the sender decides on what it says rather than waiting.
   * An erased guest is never filled in again.
   */
  async remember(
    manager: EntityManager,
    updates: readonly GuestAttributes[],
    announced: 'registration' | 'update',
  ): Promise<void> {
    const folded = foldInOrder(updates);
    if (folded.size === 0) return;
    const guestIds = [...folded.keys()];
    // Shared, as a batch of stays takes them (`skippedUnderUntilCommit`): the keys stand for the guests'
    // chains of merges, which only merges and erasures change, and they take them exclusive. So each id is
    // merged either before (and seen below) or after this commits (and the merge then folds what was
    // written), never unseen in between. News changes no chain and a stay reads nothing else of its guest
    // (the sender decides on consent and channels when the invitation is due, with the guest's row locked),
    // so news and stays do not wait for each other; two batches of news of a guest queue for its row.
    await lockKeysUntilCommit(manager, guestIds, { shared: true });
    // The guests' rows and their survivors' (every existing row written below), in one go: taken step by
    // step (the rows merged away, then their survivors), a merge holding a survivor while it waits to
    // rewrite the rows merged into it deadlocked with this batch. Both held, no merge or erasure of a
    // survivor, which changes the rows merged into it too, can commit between the look-up and the fold.
    // The guests with no row yet are inserted with them (`lockInsertingUnknown`).
    const { survivors, stored } = await lockInsertingUnknown(manager, folded);
    const survivorOf = (guestId: string) => survivors.get(guestId) as string;
    const news = [...folded];
    // Those with no row were inserted as given.
    const own = news.filter(([guestId]) => stored.has(guestId) && survivorOf(guestId) === guestId);
    const mergedAway = news.filter(([guestId]) => survivorOf(guestId) !== guestId);
    // Only a merge keyed by a guest makes them a survivor, and it takes their lock: which of them are is
    // settled until this commits. Updates are not folded: one handled after a merge may well be newer.
    const ownIds = own.map(([guestId]) => guestId);
    const survivorsOfMerges =
      announced === 'registration'
        ? await lockSurvivorsOfMerges(manager, ownIds)
        : new Map<string, StoredGuest>();
    const registeredAfterMerges = own.filter(([guestId]) => survivorsOfMerges.has(guestId));
    const ownOtherwise = own.filter(([guestId]) => !survivorsOfMerges.has(guestId));
    await updateOwn(manager, ownOtherwise, announced);
    await foldRegistrationsIntoMerged(manager, new Map(registeredAfterMerges), survivorsOfMerges);
    await foldIntoSurvivors(manager, new Map(mergedAway), stored, survivors);
  },

  /** The guests as they are now, each id followed to its merge survivor. */
  async load(manager: EntityManager, guestIds: string[]): Promise<Map<string, KnownGuest>> {
    const rows = await guestRows(manager, guestIds);
    return new Map(rows.map((row) => [row.asked, toGuest(row)]));
  },

  /**
   * As `load`, with the survivors' rows locked until the transaction ends, so whether a guest may be
   * invited holds until the invitation commits. Another transaction holding a row (a second sender, a
   * consent withdrawal, an erasure) is waited for, and its commit is what is read; a merge's too, whose
   * survivor is then locked and read instead (`lockSurvivors`). A cycle of merges reads the same each time
   * and is kept as it is. What `lockFirst` locks (the sender's invitations) is taken before the guests,
   * after the savepoint `lockSettled` gives locks back to, and again if they are given back: every row the
   * transaction writes afterwards is then locked by the subtransaction that writes it (see `lockSettled`).
   * Returns what `lockFirst` returned with the guests `guestIdsOf` names in it, by the id asked for.
   */
  async lockForInviting<Locked>(
    manager: EntityManager,
    lockFirst: () => Promise<Locked>,
    guestIdsOf: (locked: Locked) => readonly string[],
  ): Promise<{ locked: Locked; guests: Map<string, KnownGuest> }> {
    const { locked, survivors, stored } = await lockSurvivors(manager, lockFirst, guestIdsOf);
    const guestIds = [...new Set(guestIdsOf(locked))];
    const guests = new Map(
      guestIds.flatMap((guestId) => {
        const survivorId = survivors.get(guestId) as string;
        const survivor = stored.get(survivorId);
        return survivor ? [[guestId, knownGuest(survivorId, survivor)] as const] : [];
      }),
    );
    return { locked, guests };
  },

  /**
   * Runs `attempt` until it finds the guests it locked settled, and returns what it found then. The
   * sender, guest news, merges and erasures all lock guests' rows so: in one statement in id order, after
   * what is locked before any guest row (the invitations a merge or erasure writes: the sender locks its
   * invitations, then their guests); of two wanting the same guests, one waits for the other, never each
   * for the other. A merge committing while a row was waited for can name a guest not locked yet; locked
   * after the others, out of that order, it could be held by one waiting for one of them. `attempt` then
   * finds nothing, its locks are given back (a savepoint) and it is run again, taking in order what the
   * merges name now; so `attempt` takes what is locked before the guests too (a sender's invitations, a
   * merge's or erasure's).
   *
   * The savepoint is never released (the commit releases it): the rest of the transaction writes in its
   * subtransaction, which locked every row it writes. A row locked by one (sub)transaction and updated by
   * another of the same transaction gets a MultiXact xmax (Postgres keeps the locker's lock in case the
   * updater aborts), which grows pg_multixact and slows later lockers. A row locked before the savepoint
   * and written in it gets one, as does one locked in it and written after a release: so nothing a caller
   * writes is locked before this, and the savepoint stays open.
   */
  async lockSettled<Found>(
    manager: EntityManager,
    attempt: () => Promise<Found | undefined>,
  ): Promise<Found> {
    await manager.query('savepoint locking_guests');
    for (;;) {
      const found = await attempt();
      if (found !== undefined) return found;
      await manager.query('rollback to savepoint locking_guests');
    }
  },

  /** The rows of the guests as stored, locked until the transaction ends, in id order. */
  async lockStored(manager: EntityManager, guestIds: readonly string[]): Promise<Map<string, StoredGuest>> {
    return lockRows(manager, guestIds, '');
  },

  /** Replaces what is kept of existing guests with `facts`. */
  async store(manager: EntityManager, facts: ReadonlyMap<string, GuestFacts>): Promise<void> {
    if (facts.size === 0) return;
    const rows = [...facts];
    await manager.query(
      `update survey_guests g set preferred_language = f.preferred_language, surveys_consent = f.surveys_consent,
         surveys_consent_as_of = f.surveys_consent_as_of, email_on_file = f.email_on_file,
         phone_on_file = f.phone_on_file, last_invited_at = f.last_invited_at, heard_of = f.heard_of
       from unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[], $5::boolean[], $6::boolean[],
                   $7::timestamptz[], $8::boolean[])
         as f (guest_id, preferred_language, surveys_consent, surveys_consent_as_of, email_on_file,
               phone_on_file, last_invited_at, heard_of)
       where g.guest_id = f.guest_id`,
      [
        rows.map(([guestId]) => guestId),
        rows.map(([, f]) => f.preferredLanguage ?? null),
        rows.map(([, f]) => f.surveysConsent ?? null),
        rows.map(([, f]) => f.surveysConsentAsOf ?? null),
        rows.map(([, f]) => f.emailOnFile),
        rows.map(([, f]) => f.phoneOnFile),
        rows.map(([, f]) => f.lastInvitedAt ?? null),
        rows.map(([, f]) => f.heardOf),
      ],
    );
  },

  async markInvited(manager: EntityManager, guestIds: readonly string[], at: Date): Promise<void> {
    await manager.query('update survey_guests set last_invited_at = $2 where guest_id = any($1::uuid[])', [
      [...new Set(guestIds)],
      at,
    ]);
  },
};

/**
 * Each guest's events in order: a later value wins, an absent one keeps the earlier. The consent kept is
 * the one profiles gave last (of two given at once, the later in the batch): a guest's events here are all
 * of its own id, so an older consent is simply overtaken (a row's may be an id's merged in, `NEWER_NEWS`).
 */
function foldInOrder(updates: readonly GuestAttributes[]): Map<string, FoldedNews> {
  const folded = new Map<string, FoldedNews>();
  for (const { guestId, attributes, asOf } of updates) {
    const before = folded.get(guestId) ?? {};
    const consentOvertaken =
      attributes.surveysConsent === undefined ||
      (before.surveysConsentAsOf !== undefined && before.surveysConsentAsOf.getTime() > asOf.getTime());
    folded.set(guestId, {
      preferredLanguage: attributes.preferredLanguage ?? before.preferredLanguage,
      ...(consentOvertaken
        ? { surveysConsent: before.surveysConsent, surveysConsentAsOf: before.surveysConsentAsOf }
        : { surveysConsent: attributes.surveysConsent, surveysConsentAsOf: asOf }),
      emailOnFile: attributes.emailOnFile ?? before.emailOnFile,
      phoneOnFile: attributes.phoneOnFile ?? before.phoneOnFile,
    });
  }
  return folded;
}

// How a row takes an update's values, which are the newest, and a registration's, which are the oldest.
// An update's consent can be older than the row's all the same (a dead letter replayed, a survivor's
// update handled after a merge folded in the merged guest's newer refusal): it is then folded in as a
// merge folds the merged guest's, a refusal holding, as the row's consent may be that of an id merged
// into it, which only newer news undoes. The row keeps the later instant. A consent kept with no instant
// (before surveys kept them) is replaced, as it was.
const NEWER_NEWS = `preferred_language = coalesce(given.preferred_language, g.preferred_language),
       surveys_consent = case
         when given.surveys_consent is null then g.surveys_consent
         when g.surveys_consent_as_of is null or given.surveys_consent_as_of >= g.surveys_consent_as_of
           then given.surveys_consent
         else g.surveys_consent and given.surveys_consent end,
       surveys_consent_as_of = greatest(g.surveys_consent_as_of, given.surveys_consent_as_of),
       email_on_file = coalesce(given.email_on_file, g.email_on_file),
       phone_on_file = coalesce(given.phone_on_file, g.phone_on_file)`;
const OLDER_NEWS = `preferred_language = coalesce(g.preferred_language, given.preferred_language),
       surveys_consent = coalesce(g.surveys_consent, given.surveys_consent),
       surveys_consent_as_of = case when g.surveys_consent is null then given.surveys_consent_as_of
                                    else g.surveys_consent_as_of end,
       email_on_file = g.email_on_file or coalesce(given.email_on_file, false),
       phone_on_file = g.phone_on_file or coalesce(given.phone_on_file, false)`;

/** News as the rows of `GIVEN`, in id order: two batches of the same guests write them in one order. */
function givenRows(news: readonly [string, FoldedNews][]): unknown[][] {
  const rows = [...news].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    rows.map(([guestId]) => guestId),
    rows.map(([, a]) => a.preferredLanguage ?? null),
    rows.map(([, a]) => a.surveysConsent ?? null),
    rows.map(([, a]) => a.surveysConsentAsOf ?? null),
    rows.map(([, a]) => a.emailOnFile ?? null),
    rows.map(([, a]) => a.phoneOnFile ?? null),
  ];
}

const GIVEN = `unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[], $5::boolean[], $6::boolean[])
  as given (guest_id, preferred_language, surveys_consent, surveys_consent_as_of, email_on_file,
            phone_on_file)`;

/**
 * Inserts the guests not known yet as given, and says whether it inserted every one: a guest another
 * batch inserted meanwhile (an insert of it in flight is waited for) is not, and its row is not locked.
 */
async function insertUnknown(
  manager: EntityManager,
  news: readonly [string, FoldedNews][],
): Promise<boolean> {
  if (news.length === 0) return true;
  const inserted: { guest_id: string }[] = await manager.query(
    `insert into survey_guests (guest_id, heard_of, preferred_language, surveys_consent,
                                surveys_consent_as_of, email_on_file, phone_on_file)
     select guest_id, true, preferred_language, surveys_consent, surveys_consent_as_of,
            coalesce(email_on_file, false), coalesce(phone_on_file, false)
     from ${GIVEN}
     on conflict (guest_id) do nothing
     returning guest_id`,
    givenRows(news),
  );
  return inserted.length === news.length;
}

/**
 * News of known guests not merged away, their rows locked: each takes what was given, but a consent only
 * when it is not older than the row's, an older one only to refuse (`NEWER_NEWS`). A registration is the
 * oldest news of a guest, so one handled after an update (on another topic, it can be overtaken) only
 * fills in what the row does not know yet, and adds the channels it names: profiles only ever announces a
 * channel being added.
 */
async function updateOwn(
  manager: EntityManager,
  news: readonly [string, FoldedNews][],
  announced: 'registration' | 'update',
): Promise<void> {
  if (news.length === 0) return;
  await manager.query(
    `update survey_guests g set
       heard_of = true,
       ${announced === 'update' ? NEWER_NEWS : OLDER_NEWS}
     from ${GIVEN}
     where g.guest_id = given.guest_id and g.erased_at is null`,
    givenRows(news),
  );
}

/**
 * Folds survivors' own registrations into what their rows already hold, given those rows (locked).
 * Profiles registers a guest before merging anyone into them, so a registration handled after a merge
 * is older than the merged guests' facts the row took: taking it as given would undo a refusal of
 * surveys or a channel the merge kept. It is folded as the merge folds the two guests instead, the
 * registration being the survivor's side, so the row is the same whichever was handled first.
 */
async function foldRegistrationsIntoMerged(
  manager: EntityManager,
  registrations: ReadonlyMap<string, FoldedNews>,
  survivors: ReadonlyMap<string, StoredGuest>,
): Promise<void> {
  const folded = new Map<string, GuestFacts>();
  for (const [guestId, registered] of registrations) {
    const survivor = survivors.get(guestId) as StoredGuest;
    if (survivor.erasedAt) continue;
    const asRegistered: GuestFacts = {
      preferredLanguage: registered.preferredLanguage,
      surveysConsent: registered.surveysConsent,
      surveysConsentAsOf: registered.surveysConsentAsOf,
      emailOnFile: registered.emailOnFile === true,
      phoneOnFile: registered.phoneOnFile === true,
      heardOf: true,
    };
    folded.set(guestId, foldMergedGuest(asRegistered, survivor));
  }
  await GuestDirectory.store(manager, folded);
}

/**
 * Folds the news of ids merged away into their final survivors, given the merged ids' rows (locked) and
 * their survivors.
 */
async function foldIntoSurvivors(
  manager: EntityManager,
  news: ReadonlyMap<string, FoldedNews>,
  merged: ReadonlyMap<string, StoredGuest>,
  survivorOf: ReadonlyMap<string, string>,
): Promise<void> {
  if (news.size === 0) return;
  // Read again, though locked already: the batch's own news of a survivor was written since.
  const survivors = await GuestDirectory.lockStored(
    manager,
    [...news.keys()].map((mergedId) => survivorOf.get(mergedId) as string),
  );
  const folded = new Map<string, GuestFacts>();
  for (const [mergedId, attributes] of news) {
    const survivorId = survivorOf.get(mergedId) as string;
    const survivor = survivors.get(survivorId);
    // An erased guest is not filled in again, whichever of its ids the news is of.
    if (!survivor || survivor.erasedAt || merged.get(mergedId)?.erasedAt) continue;
    folded.set(
      survivorId,
      foldMergedGuest(folded.get(survivorId) ?? survivor, { ...attributes, heardOf: true }),
    );
  }
  await GuestDirectory.store(manager, folded);
}

/**
 * The guest each id stands for now (`finalSurvivors`), with the rows of the ids and of every guest their
 * merges lead to locked, as `GuestDirectory.lockSettled` takes them, after what `lockFirst` locks.
 */
async function lockSurvivors<Locked>(
  manager: EntityManager,
  lockFirst: () => Promise<Locked>,
  guestIdsOf: (locked: Locked) => readonly string[],
): Promise<{ locked: Locked } & LockedChains> {
  return GuestDirectory.lockSettled(manager, async () => {
    const locked = await lockFirst();
    const chains = await lockMergeChains(manager, [...new Set(guestIdsOf(locked))]);
    return chains && { locked, ...chains };
  });
}

/**
 * As `lockSurvivors`, for news: the guests with no row yet are inserted as given once the others are
 * locked. A guest another batch of news inserted since the lock began is not, and the locks are taken
 * again (`lockSettled`), its row with them. Updated as it is instead, its row would be locked after the
 * others, out of id order: a batch that locked it, in order, before coming to a row this one holds would
 * wait for this one, and this one for it.
 */
async function lockInsertingUnknown(
  manager: EntityManager,
  news: ReadonlyMap<string, FoldedNews>,
): Promise<LockedChains> {
  return GuestDirectory.lockSettled(manager, async () => {
    const chains = await lockMergeChains(manager, [...news.keys()]);
    if (!chains) return undefined;
    const unknown = [...news].filter(([guestId]) => !chains.stored.has(guestId));
    return (await insertUnknown(manager, unknown)) ? chains : undefined;
  });
}

interface LockedChains {
  survivors: Map<string, string>;
  stored: Map<string, StoredGuest>;
}

/**
 * The rows of the guests and of every guest their merges lead to, locked in one statement, and the guest
 * each id stands for now; none when a merge committed while a row was waited for, as a locking read returns
 * a row's newest version: it then shows as a link other than the one the statement followed, and the locks
 * are to be taken again as the merges stand then. Rows whose links are as followed lead where they did, and
 * no merge can change them before the transaction commits. An id with no row as the statement starts stands
 * for itself: news of it holds its key, which a merge creating its row takes too, and a sender decides on
 * it as if that merge committed just after.
 */
async function lockMergeChains(
  manager: EntityManager,
  guestIds: readonly string[],
): Promise<LockedChains | undefined> {
  if (guestIds.length === 0) return { survivors: new Map(), stored: new Map() };
  const rows: (GuestRow & { merged_into_followed: string | null })[] = await manager.query(
    LOCK_MERGE_CHAINS,
    [guestIds],
  );
  if (rows.some((row) => row.merged_into !== row.merged_into_followed)) return undefined;
  return {
    survivors: finalSurvivors(guestIds, new Map(rows.map((row) => [row.guest_id, row.merged_into]))),
    stored: storedGuests(rows),
  };
}

/**
 * Locks the rows of the guests `$1` names and of every guest their chains of merges pass through, as the
 * merges stand when the statement starts (an InitPlan, computed before the first lock; `union` drops a
 * chain row already seen, so even a cycle of merges ends), in id order. Each comes as it is once locked,
 * with the link it had as the statement started (`merged_into_followed`: a plain read, of the statement's
 * snapshot).
 */
const LOCK_MERGE_CHAINS = `
  with recursive chain (guest_id, merged_into) as (
    select guest_id, merged_into from survey_guests where guest_id = any($1::uuid[])
    union
    select g.guest_id, g.merged_into from chain c join survey_guests g on g.guest_id = c.merged_into)
  select g.*, (select f.merged_into from survey_guests f where f.guest_id = g.guest_id) as merged_into_followed
  from survey_guests g where g.guest_id = any(array(select guest_id from chain))
  order by g.guest_id for update of g`;

/** The stored rows of those of the guests that ids were merged into, locked until the transaction ends. */
async function lockSurvivorsOfMerges(
  manager: EntityManager,
  guestIds: readonly string[],
): Promise<Map<string, StoredGuest>> {
  if (guestIds.length === 0) return new Map();
  return lockRows(
    manager,
    guestIds,
    'and exists (select 1 from survey_guests m where m.merged_into = survey_guests.guest_id)',
  );
}

/** The stored rows of the guests that match `condition`, locked until the transaction ends, in id order. */
async function lockRows(
  manager: EntityManager,
  guestIds: readonly string[],
  condition: string,
): Promise<Map<string, StoredGuest>> {
  const rows: GuestRow[] = await manager.query(
    `select * from survey_guests where guest_id = any($1::uuid[]) ${condition} order by guest_id for update`,
    [[...new Set(guestIds)]],
  );
  return storedGuests(rows);
}

/** The rows of the guests' survivors, each with the id asked for. */
async function guestRows(
  manager: EntityManager,
  guestIds: string[],
): Promise<(GuestRow & { asked: string })[]> {
  return manager.query(
    `select asked.id as asked, g.* from unnest($1::uuid[]) as asked (id)
     join survey_guests m on m.guest_id = asked.id
     join survey_guests g on g.guest_id = coalesce(m.merged_into, m.guest_id)`,
    [guestIds],
  );
}

function toGuest(row: GuestRow): KnownGuest {
  return knownGuest(row.guest_id, storedGuest(row));
}

function knownGuest(guestId: string, { erasedAt, ...facts }: StoredGuest): KnownGuest {
  return { guestId, erased: erasedAt !== null, ...facts };
}

/** The rows as stored, by guest id. */
export function storedGuests(rows: readonly GuestRow[]): Map<string, StoredGuest> {
  return new Map(rows.map((row) => [row.guest_id, storedGuest(row)]));
}

function storedGuest(row: GuestRow): StoredGuest {
  return { ...factsOf(row), erasedAt: row.erased_at };
}

function factsOf(row: GuestRow): GuestFacts {
  return {
    heardOf: row.heard_of,
    emailOnFile: row.email_on_file,
    phoneOnFile: row.phone_on_file,
    ...(row.surveys_consent === null ? {} : { surveysConsent: row.surveys_consent }),
    ...(row.surveys_consent_as_of ? { surveysConsentAsOf: row.surveys_consent_as_of } : {}),
    ...(row.last_invited_at ? { lastInvitedAt: row.last_invited_at } : {}),
    ...(row.preferred_language ? { preferredLanguage: row.preferred_language } : {}),
  };
}
