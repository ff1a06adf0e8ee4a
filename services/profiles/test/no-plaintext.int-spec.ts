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
import { identity, stayCompleted } from './profiles-harness';

const PUBLISHED = ['stay-recorded', 'guest-registered', 'guest-updated', 'guest-merged', 'guest-erased'];

describe('profiles never lets plaintext personal data leave it (compiled service, real broker)', () => {
  let db: TestDatabase;
  let prefix: string;
  let probe: KafkaProbe;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase('profiles_plaintext');
    prefix = uniqueTopicPrefix();
    probe = new KafkaProbe();
    // Debug logging: the most the service would ever write about a request or an event.
    service = await ServiceProcess.create('profiles', serviceEnv(db.url, prefix, { LOG_LEVEL: 'debug' }));
    await service.start();
    await probe.watch(...PUBLISHED.map((t) => `${prefix}${t}`));
  });

  afterAll(async () => {
    await service.stop();
    await probe.close();
    await db.drop();
    await deleteTopicsWithPrefix(prefix);
  });

  it('should publish and log only opaque guest ids when guests stay, are updated, merged and erased', async () => {
    const [first, second] = [identity(), identity()];
    const stays = [first, second].map((who) => {
      const event = stayCompleted(who);
      return { key: `${event.data.propertyId}:${event.data.reservationId}`, event };
    });
    await probe.produceJson(`${prefix}stay-completed`, stays);
    const recorded = await probe.awaitRecords(`${prefix}stay-recorded`, 2);
    const [a, b] = recorded.map((r) => r.json<{ subject: string }>().subject);

    const token = mintToken({ sub: 'dpo', roles: ['chain-admin'], properties: ['*'] }, DEV_JWT_SECRET, '5m');
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${service.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-access-reason': 'leak test',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect(
      (await call('PATCH', `/guests/${a}/contacts`, { phone: second.phone, address: '1 Secret Lane' }))
        .status,
    ).toBe(200);
    expect((await call('GET', `/guests?email=${encodeURIComponent(first.email)}`)).status).toBe(200);
    expect(
      (await call('POST', `/guests/${a}/consents`, { purpose: 'marketing', channel: 'email', granted: true }))
        .status,
    ).toBe(201);
    const merged = (await (await call('POST', '/merges', { guestA: a, guestB: b })).json()) as {
      survivorId: string;
    };
    expect(
      (await call('POST', `/guests/${merged.survivorId}/erasure`, { reason: 'guest-request' })).status,
    ).toBe(201);
    await probe.awaitRecords(`${prefix}guest-erased`, 1);
    await waitUntil('the log to be flushed', () => service.logText().includes('/erasure'));

    const published = PUBLISHED.flatMap((t) => probe.seen(`${prefix}${t}`))
      .map((r) => `${r.key ?? ''} ${r.value?.toString() ?? ''} ${JSON.stringify(r.headers)}`)
      .join('\n');
    expect(published).toContain(merged.survivorId);
    const log = service.logText();
    for (const who of [first, second]) {
      for (const plain of [who.email, who.phone, who.familyName, who.givenName as string]) {
        expect(published).not.toContain(plain);
        expect(log).not.toContain(plain);
      }
    }
    expect(log).not.toContain('1 Secret Lane');
  });
});
