import { DataSource } from 'typeorm';
import { waitUntil } from '@loyalty/testing';
import { ProfilingObjectionsOwed1760000004300 } from '../src/migrations/1760000004300-profiling-objections-owed';
import { OwedProfilingObjections } from '../src/privacy/owed-profiling-objections';
import { identity, ProfilesHarness } from './profiles-harness';

interface GuestUpdated {
  subject: string;
  data: { guestId: string; changes: Record<string, unknown>; updatedAt: string };
}

/** A decision on profiling: the channel, whether granted, and when. */
type Decision = [channel: string, granted: boolean, at: string];

describe('profiles announces the objections to profiling made before it announced them (real broker and Postgres)', () => {
  let h: ProfilesHarness;

  beforeAll(async () => {
    // The test drains what is owed itself, when it has set the guests up.
    h = await ProfilesHarness.create('profiles_owed_objections', {
      PROFILES_OWED_ANNOUNCEMENTS_INTERVAL_MS: '0',
    });
  });

  afterAll(() => h?.close());

  async function guests(count: number): Promise<string[]> {
    const stays = Array.from({ length: count }, () => h.stay(identity()));
    await h.sendStays(stays);
    return Promise.all(stays.map((stay) => h.guestOfReservation(stay.data.reservationId)));
  }

  /** Decisions on profiling as the release before this one recorded them: on file, and announced to no one. */
  async function decidedBefore(guestId: string, ...decisions: Decision[]): Promise<void> {
    for (const [channel, granted, at] of decisions)
      await h.db.query(
        `insert into guest_consents (guest_id, purpose, channel, granted, source, recorded_at)
         values ($1, 'profiling', $2, $3, 'staff:front-desk-7', $4)`,
        [guestId, channel, granted, at],
      );
  }

  /** Migration 1760000004300 run on what is on file now, as the upgrade runs it. */
  async function upgrade(): Promise<void> {
    const runner = h.service.app.get(DataSource).createQueryRunner();
    const migration = new ProfilingObjectionsOwed1760000004300();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  }

  /**
   * The `guest-updated` profiles published of these guests' consent to profiling, once its outbox is sent and
   * read to the end.
   */
  async function profilingUpdatesOf(guestIds: string[]) {
    await waitUntil('the outbox to be sent', async () => {
      const [{ unsent }] = await h.db.query<{ unsent: string }>(
        'select count(*) as unsent from messaging_outbox where published_at is null',
      );
      return unsent === '0' || undefined;
    });
    await h.probe.awaitSeenToEnd([h.topic('guest-updated')]);
    return h.probe
      .seen(h.topic('guest-updated'))
      .map((record) => record.json<GuestUpdated>())
      .filter((event) => guestIds.includes(event.subject) && 'profilingConsent' in event.data.changes)
      .map(({ data }) => data)
      .sort((x, y) => x.guestId.localeCompare(y.guestId));
  }

  it('should announce once, after the upgrade, each objection made before it that still stands, as of its last decision, and nothing of the others', async () => {
    const [
      objecting,
      objectingByEmail,
      consenting,
      changedMind,
      erasedSince,
      grantingSince,
      mergedSince,
      other,
    ] = await guests(8);
    await decidedBefore(objecting, ['email', false, '2026-01-05T09:30:00.123Z']);
    // Withdrawn by email and granted in the app later: withdrawn still, as guest-updated reads consent.
    await decidedBefore(
      objectingByEmail,
      ['email', false, '2026-01-05T09:30:00.123Z'],
      ['app', true, '2026-02-01T12:00:00.456Z'],
    );
    await decidedBefore(consenting, ['email', true, '2026-01-05T09:30:00.123Z']);
    await decidedBefore(
      changedMind,
      ['post', false, '2026-01-05T09:30:00.123Z'],
      ['post', true, '2026-01-06T08:00:00.000Z'],
    );
    for (const guestId of [erasedSince, grantingSince, mergedSince])
      await decidedBefore(guestId, ['email', false, '2026-01-05T09:30:00.123Z']);

    await upgrade();
    const owed = await h.db.query<{ guest_id: string }>(
      'select guest_id from profiling_objections_owed order by guest_id',
    );
    expect(owed.map((row) => row.guest_id)).toEqual(
      [objecting, objectingByEmail, erasedSince, grantingSince, mergedSince].sort(),
    );
    // After the upgrade, before what it owes is announced: one guest is erased, one grants profiling again
    // (announced as it is recorded), one is merged with another profile of theirs.
    const admin = h.token(['chain-admin']);
    const erasure = await h.http('POST', `/guests/${erasedSince}/erasure`, {
      token: admin,
      body: { reason: 'guest-request' },
    });
    expect(erasure.status).toBe(201);
    const grant = await h.http('POST', `/guests/${grantingSince}/consents`, {
      token: admin,
      reason: 'guest request',
      body: { purpose: 'profiling', channel: 'email', granted: true },
    });
    expect(grant.status).toBe(201);
    // The other profile holds their loyalty card: it survives the merge, and takes their consents.
    await h.db.query(`update guests set loyalty_number = 'LXOWED0001' where id = $1`, [other]);
    const merge = await h.http('POST', '/merges', {
      token: admin,
      body: { guestA: mergedSince, guestB: other },
    });
    expect(merge).toMatchObject({ status: 201, body: { survivorId: other, mergedId: mergedSince } });

    const announcer = h.service.app.get(OwedProfilingObjections);
    expect(await announcer.drain()).toBe(3);
    expect(await announcer.drain()).toBe(0);
    expect(await h.db.query('select guest_id from profiling_objections_owed')).toEqual([]);
    const objection = (guestId: string, updatedAt: string) => ({
      guestId,
      changes: { profilingConsent: false },
      updatedAt,
    });
    const everyone = [objecting, objectingByEmail, consenting, changedMind, erasedSince, mergedSince, other];
    expect(await profilingUpdatesOf(everyone)).toEqual(
      [
        objection(objecting, '2026-01-05T09:30:00.123Z'),
        objection(objectingByEmail, '2026-02-01T12:00:00.456Z'),
        objection(other, '2026-01-05T09:30:00.123Z'),
      ].sort((x, y) => x.guestId.localeCompare(y.guestId)),
    );
    expect(await profilingUpdatesOf([grantingSince])).toEqual([
      { guestId: grantingSince, changes: { profilingConsent: true }, updatedAt: expect.any(String) },
    ]);
  });
});
