// Benchmark: N upstream `stay-completed` events through the real broker into the real profiles service
// (compiled, as its own process), measuring how fast stays are resolved to guests and recorded.
//
//   node -r ./infra/scripts/register-ts.js services/profiles/bench/stay-throughput.ts [--count 20000] [--guests 5000] [--no-build]
//
// Needs Kafka, Postgres and Redis (`bash infra/local up`). The last line printed is one JSON object.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { buildEvent, sampleEventData, type EventEnvelope } from '@loyalty/contracts';
import * as testing from '@loyalty/testing';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COUNT = option('count', 20_000);
const GUESTS = option('guests', Math.max(1, Math.round(COUNT / 4)));
const ROOT = path.resolve(__dirname, '../../..');

// The testing helpers read where the infrastructure is from these (jest's global setup sets them in tests).
process.env.TEST_KAFKA_BROKERS ??= process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.TEST_REDIS_URL ??= process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// The repository's build, as the tests' and the other benchmarks' is: the service's own tsconfig leaves out
// the libraries' ambient declarations (the compression codecs'), and failed on them.
function build(): void {
  if (args.includes('--no-build')) return;
  log('building dist/');
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** A distinct pronounceable name per number (names carry no digits once normalised). */
function nameOf(n: number): string {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  let name = '';
  let rest = n + 1000;
  while (rest > 0) {
    name +=
      consonants[rest % consonants.length] + vowels[Math.floor(rest / consonants.length) % vowels.length];
    rest = Math.floor(rest / (consonants.length * vowels.length));
  }
  return name[0].toUpperCase() + name.slice(1);
}

/** Guests come back: every guest has a loyalty number or not, and later stays may carry only an email. */
function events(): EventEnvelope<'stay-completed'>[] {
  const base = sampleEventData('stay-completed');
  const guests = Array.from({ length: GUESTS }, (_, i) => ({
    externalProfileRef: `BENCH-${i}`,
    givenName: nameOf(i * 7919 + 13),
    familyName: nameOf(i),
    email: `bench.guest.${i}@example.com`,
    phone: `+3162${String(i).padStart(7, '0')}`,
    loyaltyNumber: i % 2 === 0 ? `LXB${String(i).padStart(7, '0')}` : undefined,
    countryCode: 'NL',
    preferredLanguage: 'nl-NL',
  }));
  const properties = ['AMS01', 'LON02', 'BRU03', 'PAR04', 'BER05', 'MAD06'];
  return Array.from({ length: COUNT }, (_, i) => {
    const guest = { ...guests[i % GUESTS] };
    // A third of the returning stays come from another system that knows only the email.
    if (i >= GUESTS && i % 3 === 0) {
      guest.externalProfileRef = `OTHER-${i}`;
      guest.loyaltyNumber = undefined;
    }
    const propertyId = properties[i % properties.length];
    return buildEvent(
      'stay-completed',
      { ...base, propertyId, reservationId: `RB-${i}`, guest },
      { source: 'pms/bench', propertyId },
    );
  });
}

async function main(): Promise<void> {
  build();
  const db = await testing.createTestDatabase('bench_profiles');
  const prefix = testing.uniqueTopicPrefix();
  const service = await testing.ServiceProcess.create(
    'profiles',
    testing.productionServiceEnv(db.url, prefix, { LOG_LEVEL: 'warn' }),
  );
  const probe = new testing.KafkaProbe();
  try {
    await service.start();
    const stays = events();
    log(`producing ${stays.length} stay-completed events for ${GUESTS} guests`);
    const started = Date.now();
    for (let i = 0; i < stays.length; i += 1000) {
      await probe.produceJson(
        `${prefix}stay-completed`,
        stays
          .slice(i, i + 1000)
          .map((event) => ({ key: `${event.data.propertyId}:${event.data.reservationId}`, event })),
      );
    }
    const producedMs = Date.now() - started;
    log(`produced in ${producedMs} ms; waiting for profiles`);
    await testing.waitUntil(
      'every stay recorded',
      async () => {
        const [{ n }] = await db.query<{ n: string }>('select count(*) as n from stays');
        return Number(n) >= stays.length;
      },
      { timeoutMs: 600_000, intervalMs: 50 },
    );
    const recordedMs = Date.now() - started;
    await probe.awaitGroupCaughtUp(`${prefix}profiles`, [`${prefix}stay-completed`], { timeoutMs: 60_000 });
    await testing.waitUntil(
      'the outbox to drain',
      async () => {
        const [{ n }] = await db.query<{ n: string }>(
          'select count(*) as n from messaging_outbox where published_at is null',
        );
        return n === '0';
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const publishedMs = Date.now() - started;
    const [summary] = await db.query<{ guests: string; decisions: string; merged: string }>(
      `select (select count(*) from guests where status = 'active') as guests,
              (select count(*) from match_decisions where candidate_id is null) as decisions,
              (select count(*) from guests where status = 'merged') as merged`,
    );
    const result = {
      benchmark: 'profiles stay-completed → stay-recorded',
      events: stays.length,
      distinctGuestsSent: GUESTS,
      guestsResolved: Number(summary.guests),
      guestsMerged: Number(summary.merged),
      resolutions: Number(summary.decisions),
      produceMs: producedMs,
      recordedMs,
      publishedMs,
      resolvedPerSecond: Math.round((Number(summary.decisions) / recordedMs) * 1000),
      staysRecordedPerSecond: Math.round((stays.length / recordedMs) * 1000),
      staysPublishedPerSecond: Math.round((stays.length / publishedMs) * 1000),
      runId: randomUUID(),
    };
    log(
      `recorded ${stays.length} stays in ${recordedMs} ms (${result.staysRecordedPerSecond}/s), all published after ${publishedMs} ms`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await service.stop();
    await probe.close();
    await db.drop();
    await testing.deleteTopicsWithPrefix(prefix);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${String(error)}\n`);
  process.exit(1);
});
