import { randomUUID } from 'node:crypto';
import {
  buildEvent,
  partitionKey,
  sampleEventData,
  type EventData,
  type EventEnvelope,
  type EventType,
} from '@loyalty/contracts';
import { mintToken, type Role } from '@loyalty/auth';
import { DEV_JWT_SECRET } from '@loyalty/config';
import {
  createTestDatabase,
  deleteTopicsWithPrefix,
  KafkaProbe,
  serviceEnv,
  startInProcess,
  uniqueTopicPrefix,
  waitUntil,
  type InProcessService,
  type TestDatabase,
  callHttp,
  type HttpAnswer,
} from '@loyalty/testing';
import { AppModule } from '../src/app.module';
import { ProfilesConfig } from '../src/config/profiles.config';

export type Identity = EventData<'stay-completed'>['guest'];
type StayGuest = Partial<Identity> & { externalProfileRef: string; familyName: string };

/** A completed stay at a fresh reservation for the identity given. */
export function stayCompleted(guest: StayGuest, overrides: Partial<EventData<'stay-completed'>> = {}) {
  const data = {
    ...sampleEventData('stay-completed'),
    reservationId: `R-${randomUUID().slice(0, 8)}`,
    guest,
    ...overrides,
  };
  return buildEvent('stay-completed', data, { source: 'pms/test', propertyId: data.propertyId });
}

/** A profiles service in this test process, on its own database and topics, fed through the real broker. */
export class ProfilesHarness {
  private constructor(
    readonly db: TestDatabase,
    readonly prefix: string,
    readonly probe: KafkaProbe,
    readonly service: InProcessService,
  ) {}

  static async create(label: string, env: Record<string, string> = {}): Promise<ProfilesHarness> {
    const db = await createTestDatabase(label);
    const prefix = uniqueTopicPrefix();
    const service = await startInProcess(AppModule, ProfilesConfig, serviceEnv(db.url, prefix, env));
    const harness = new ProfilesHarness(db, prefix, new KafkaProbe(), service);
    await harness.probe.watch(
      ...['stay-recorded', 'guest-merged', 'guest-erased', 'guest-registered', 'guest-updated'].map((t) =>
        harness.topic(t),
      ),
    );
    return harness;
  }

  async close(): Promise<void> {
    await this.service.close();
    await this.probe.close();
    await this.db.drop();
    await deleteTopicsWithPrefix(this.prefix);
  }

  topic(type: string): string {
    return `${this.prefix}${type}`;
  }

  /** A completed stay at a fresh reservation for the identity given. */
  stay(guest: StayGuest, overrides: Partial<EventData<'stay-completed'>> = {}) {
    return stayCompleted(guest, overrides);
  }

  async send<T extends EventType>(
    type: T,
    events: EventEnvelope<T>[],
    keyOf: (e: EventEnvelope<T>) => string = partitionKey,
  ): Promise<void> {
    await this.probe.produceJson(
      this.topic(type),
      events.map((event) => ({ key: keyOf(event), event })),
    );
  }

  async sendStays(events: EventEnvelope<'stay-completed'>[]): Promise<void> {
    await this.send('stay-completed', events);
  }

  /** Waits until the consumer has handled every event sent so far on these topics. */
  async caughtUp(...types: string[]): Promise<void> {
    await this.probe.awaitGroupCaughtUp(
      `${this.prefix}profiles`,
      types.map((t) => this.topic(t)),
      { timeoutMs: 30_000 },
    );
  }

  async guestOfReservation(reservationId: string): Promise<string> {
    return waitUntil(`reservation ${reservationId} recorded`, async () => {
      const rows = await this.db.query<{ guest_id: string }>(
        'select guest_id from stays where reservation_id = $1',
        [reservationId],
      );
      return rows[0]?.guest_id;
    });
  }

  token(roles: Role[], properties: string[] = ['*'], sub = 'staff-1'): string {
    return mintToken({ sub, roles, properties }, DEV_JWT_SECRET, '5m');
  }

  async http<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; reason?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.reason) headers['x-access-reason'] = options.reason;
    return callHttp<T>(this.service.url, method, path, { caller: null, body: options.body, headers });
  }
}

let counter = 0;
const CONSONANTS = 'bcdfgklmnprstvz';
/** A random pronounceable-enough name, distinct per call (and by soundex, almost surely). */
export function randomName(): string {
  const pick = () => CONSONANTS[Math.floor(Math.random() * CONSONANTS.length)];
  const name = `${pick()}a${pick()}o${pick()}e${pick()}i${pick()}`;
  return name[0].toUpperCase() + name.slice(1);
}

/** A distinct identity per call, so tests never match each other's guests by accident. */
export function identity(overrides: Partial<Identity> = {}): Identity & { email: string; phone: string } {
  counter += 1;
  const n = `${Date.now() % 1_000_000}${counter}`;
  return {
    externalProfileRef: `OPERA-${n}`,
    givenName: randomName(),
    familyName: randomName(),
    email: `guest${n}@example.com`,
    phone: `+3161${n.padStart(7, '0').slice(-7)}`,
    countryCode: 'NL',
    preferredLanguage: 'nl-NL',
    ...overrides,
  } as Identity & { email: string; phone: string };
}

/**
 * Another identity block of the guest `who`, as a later stay brings it: their given and family name, which an
 * email or phone needs beside it to match the guest, and otherwise the fresh details `identity` draws, unless
 * overridden.
 */
export function sameGuest(
  who: Pick<Identity, 'givenName' | 'familyName'>,
  overrides: Partial<Identity> = {},
): ReturnType<typeof identity> {
  return identity({ givenName: who.givenName, familyName: who.familyName, ...overrides });
}
