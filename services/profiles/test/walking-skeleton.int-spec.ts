import { buildEvent, sampleEventData } from '@loyalty/contracts';
import { mintToken } from '@loyalty/auth';
import { DEV_JWT_SECRET } from '@loyalty/config';
import {
  createTestDatabase,
  deleteTopicsWithPrefix,
  KafkaProbe,
  ServiceProcess,
  serviceEnv,
  uniqueTopicPrefix,
  waitUntil,
  type TestDatabase,
} from '@loyalty/testing';

describe('walking skeleton: stay-completed → profiles → stay-recorded → points-ledger → points-earned → profiles', () => {
  let profilesDb: TestDatabase;
  let ledgerDb: TestDatabase;
  let prefix: string;
  let probe: KafkaProbe;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    [profilesDb, ledgerDb] = await Promise.all([
      createTestDatabase('skeleton_profiles'),
      createTestDatabase('skeleton_ledger'),
    ]);
    prefix = uniqueTopicPrefix();
    probe = new KafkaProbe();
    processes.push(
      await ServiceProcess.create('profiles', serviceEnv(profilesDb.url, prefix)),
      await ServiceProcess.create('points-ledger', serviceEnv(ledgerDb.url, prefix)),
    );
    await Promise.all(processes.map((p) => p.start()));
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await probe.close();
    await Promise.all([profilesDb.drop(), ledgerDb.drop()]);
    await deleteTopicsWithPrefix(prefix);
  });

  it('should record the stay once, credit it once and show the balance on the profile when the stay arrives twice', async () => {
    await probe.watch(`${prefix}stay-recorded`, `${prefix}points-earned`);
    const data = sampleEventData('stay-completed');
    const completed = buildEvent('stay-completed', data, { source: 'pms/test', propertyId: data.propertyId });
    const resentUnderNewId = buildEvent('stay-completed', data, {
      source: 'pms/test',
      propertyId: data.propertyId,
    });
    const key = `${data.propertyId}:${data.reservationId}`;
    await probe.produceJson(`${prefix}stay-completed`, [
      { key, event: completed },
      { key, event: completed },
      { key, event: resentUnderNewId },
    ]);

    const [recorded] = await probe.awaitRecords(`${prefix}stay-recorded`, 1);
    const guestId = recorded.json<{ subject: string }>().subject;
    const [earned] = await probe.awaitRecords(`${prefix}points-earned`, 1);
    expect(earned.json<{ subject: string; causationid: string }>()).toMatchObject({
      subject: guestId,
      causationid: recorded.json<{ id: string }>().id,
    });
    // The correlation id of the upstream event runs through the whole chain.
    expect(earned.headers['correlation-id']).toBe(completed.correlationid);

    const token = mintToken({ sub: 'test', roles: ['front-desk'], properties: ['*'] }, DEV_JWT_SECRET, '5m');
    const summary = await waitUntil('the profile to show the points', async () => {
      const response = await fetch(`${processes[0].baseUrl}/guests/${guestId}/summary`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { stays: number; pointsBalance: number | null };
      return body.pointsBalance !== null ? body : undefined;
    });
    // (540.00 + 85.50) EUR room and F&B at 1.085 USD/EUR, 10 points per USD, member tier: 6,786.
    expect(summary).toEqual({ guestId, stays: 1, pointsBalance: 6786 });
    expect(probe.seen(`${prefix}stay-recorded`)).toHaveLength(1);
    expect(probe.seen(`${prefix}points-earned`)).toHaveLength(1);
  });

  it('should refuse the profile without a token and name the reason', async () => {
    const response = await fetch(
      `${processes[0].baseUrl}/guests/00000000-0000-4000-8000-000000000000/summary`,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'TOKEN_MISSING' });
  });
});
