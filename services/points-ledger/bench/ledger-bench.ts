// Credits-per-second benchmark of the points ledger against the real broker and Postgres.
//
//   node -r ./infra/scripts/register-ts.js services/points-ledger/bench/ledger-bench.ts [--stays 20000] [--guests 5000]
//     [--rounds 5] [--skip-build]
//
// 1. The real service, as a child process from dist/ (built if stale), on its own database and topic
//    prefix, is fed N `stay-recorded` events (produced before it starts consuming, so the producer is not
//    measured); credits per second = N / time from the first credited stay to the last.
// 2. In the same run, the raw baseline the issue asks for: the same consumer (the platform's transport
//    with the ledger's tuning: validation, inbox, outbox and relay) writing the rows the ledger writes for
//    a stay (account, entry, lot, credited stay, progress, `points-earned`) with no business logic,
//    measured the same way. `ratio` is the service's figure over it. Steps 1 and 2 alternate for
//    --rounds rounds; the figures printed are the medians, and each round is listed too.
// 3. A floor: a bare kafkajs consumer writing those rows in one statement per partition batch, with no
//    validation and no relay (`bareRatio`). See raw-baseline.ts for exactly what the baselines do.
// The last line printed is one JSON object with the figures.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { buildEvent, sampleEventData, type EventEnvelope } from '@loyalty/contracts';
import { percentile } from '@loyalty/observability';
import * as testing from '@loyalty/testing';
import { insertBareBatch, SameConsumerBaselineConfig, SameConsumerBaselineModule } from './raw-baseline';

const ROOT = path.resolve(__dirname, '../../..');
const BROKERS = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const ADMIN_DB = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

// The testing library reads where the infrastructure is from these (at call time); the bench uses
// what is running.
Object.assign(process.env, {
  TEST_KAFKA_BROKERS: BROKERS,
  TEST_DATABASE_URL: ADMIN_DB,
  TEST_REDIS_URL: REDIS,
  TEST_INFRA_PROVIDER: 'environment',
});

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'test', 'bench'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale(): void {
  const stamp = path.join(ROOT, 'dist', '.build-stamp');
  const newest = Math.max(newestSource(path.join(ROOT, 'libs')), newestSource(path.join(ROOT, 'services')));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest) return;
  log('building dist/');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
  writeFileSync(stamp, new Date().toISOString());
}

function stays(count: number, guests: number): EventEnvelope<'stay-recorded'>[] {
  const guestIds = Array.from({ length: guests }, () => randomUUID());
  const sample = sampleEventData('stay-recorded');
  return Array.from({ length: count }, (_, i) => {
    const guestId = guestIds[i % guests];
    return buildEvent(
      'stay-recorded',
      { ...sample, guestId, stayId: randomUUID(), reservationId: `B-${i}` },
      { source: 'bench/profiles', subject: guestId },
    );
  });
}

async function produce(topic: string, events: EventEnvelope<'stay-recorded'>[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'ledger-bench',
    brokers: BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let i = 0; i < events.length; i += 2000) {
    await producer.send({
      topic,
      messages: events.slice(i, i + 2000).map((event) => ({
        key: event.subject ?? null,
        value: JSON.stringify(event),
        headers: { 'content-type': 'application/cloudevents+json' },
      })),
    });
  }
  await producer.disconnect();
}

/** Seconds from the first row to the last, polling the count: the same clock for both runs. */
async function timeRows(
  db: { query<R>(sql: string): Promise<R[]> },
  table: string,
  expected: number,
): Promise<number> {
  let started: number | undefined;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const [{ n }] = await db.query<{ n: string }>(`select count(*) as n from ${table}`);
    const count = Number(n);
    if (count > 0 && started === undefined) started = performance.now();
    if (count >= expected && started !== undefined)
      return Math.max(0.001, (performance.now() - started) / 1000);
    if (Date.now() > deadline) throw new Error(`only ${count} of ${expected} rows in ${table}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Outbox rows per event type, e.g. `points-earned 20000, tier-changed 10000`: both runs must write the same. */
async function outboxRows(db: testing.TestDatabase): Promise<string> {
  const rows = await db.query<{ event_type: string; n: string }>(
    'select event_type, count(*) as n from messaging_outbox group by event_type order by event_type',
  );
  return rows.map((row) => `${row.event_type} ${row.n}`).join(', ');
}

/** A database with the ledger's schema and topics: the service, started once, migrates and creates them. */
async function ledgerStage(label: string): Promise<{
  db: testing.TestDatabase;
  prefix: string;
  ledger: testing.ServiceProcess;
}> {
  const db = await testing.createTestDatabase(label);
  const prefix = testing.uniqueTopicPrefix();
  const ledger = await testing.ServiceProcess.create(
    'points-ledger',
    testing.productionServiceEnv(db.url, prefix, { LEDGER_JOB_INTERVAL_MS: '0', LOG_LEVEL: 'warn' }),
  );
  await ledger.start();
  await ledger.stop();
  return { db, prefix, ledger };
}

interface Run {
  seconds: number;
  outbox: string;
}

async function benchService(events: EventEnvelope<'stay-recorded'>[]): Promise<Run> {
  const { db, prefix, ledger } = await ledgerStage('bench_ledger');
  try {
    log(`producing ${events.length} stay-recorded events`);
    await produce(`${prefix}stay-recorded`, events);
    await ledger.start();
    const seconds = await timeRows(db, 'credited_stays', events.length);
    const [check] = await db.query<{ entries: string; balances: string }>(
      `select (select count(*) from ledger_entries where type = 'earn') as entries,
              (select sum(balance) from accounts) as balances`,
    );
    const outbox = await outboxRows(db);
    log(
      `service: ${events.length} stays in ${seconds.toFixed(2)} s (${check.entries} earn entries, ${check.balances} points; outbox: ${outbox})`,
    );
    return { seconds, outbox };
  } finally {
    await ledger.stop().catch(() => ledger.kill());
    await db.drop();
    await testing.deleteTopicsWithPrefix(prefix);
  }
}

/** The same events through the ledger's consumer writing the same rows with no business logic. */
async function benchSameConsumer(events: EventEnvelope<'stay-recorded'>[]): Promise<Run> {
  const { db, prefix } = await ledgerStage('bench_same_consumer');
  await produce(`${prefix}stay-recorded`, events);
  const baseline = await testing.startInProcess(
    SameConsumerBaselineModule,
    SameConsumerBaselineConfig,
    testing.productionServiceEnv(db.url, prefix, { LOG_LEVEL: 'warn' }),
  );
  try {
    const seconds = await timeRows(db, 'credited_stays', events.length);
    const outbox = await outboxRows(db);
    log(
      `same consumer, no business logic: ${events.length} stays in ${seconds.toFixed(2)} s (outbox: ${outbox})`,
    );
    return { seconds, outbox };
  } finally {
    await baseline.close();
    await db.drop();
    await testing.deleteTopicsWithPrefix(prefix);
  }
}

/** The same events through a bare kafkajs consumer writing the same rows in one statement. */
async function benchBare(events: EventEnvelope<'stay-recorded'>[]): Promise<number> {
  const { db, prefix } = await ledgerStage('bench_baseline');
  const topic = `${prefix}stay-recorded`;
  await produce(topic, events);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const kafka = new Kafka({
    clientId: 'ledger-bench-baseline',
    brokers: BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const group = `${prefix}baseline`;
  const consumer = kafka.consumer({ groupId: group });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  try {
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (batch.messages.length === 0) return;
        await insertBareBatch(
          pg,
          group,
          topic,
          batch.messages.map((message) => ({ ...message, partition: batch.partition })),
        ).catch((error: unknown) => {
          // kafkajs retries a failed batch for ever, silently at this log level.
          log(`baseline batch failed: ${String(error)}`);
          throw error;
        });
        const last = batch.messages[batch.messages.length - 1].offset;
        resolveOffset(last);
        await consumer.commitOffsets([
          { topic, partition: batch.partition, offset: String(Number(last) + 1) },
        ]);
      },
    });
    const seconds = await timeRows(db, 'credited_stays', events.length);
    const [check] = await db.query<{ entries: string; outbox: string }>(
      `select (select count(*) from ledger_entries) as entries, (select count(*) from messaging_outbox) as outbox`,
    );
    log(
      `bare kafkajs consumer: ${events.length} stays in ${seconds.toFixed(2)} s (${check.entries} entries, ${check.outbox} outbox rows)`,
    );
    return seconds;
  } finally {
    await consumer.disconnect();
    await pg.end();
    await db.drop();
    await testing.deleteTopicsWithPrefix(prefix);
  }
}

interface Round {
  creditsPerSecond: number;
  baselinePerSecond: number;
  ratio: number;
}

// The median round (the lower middle one for an even count).
const median = (values: number[]): number => percentile(values, 50);

async function main(): Promise<void> {
  const count = option('stays', 20_000);
  const guests = option('guests', Math.max(1, Math.floor(count / 4)));
  // Service and baseline alternate, each round a pair measured minutes apart at most: a machine whose
  // speed drifts (shared cores) moves both figures of a round together, and the median round is reported.
  const roundCount = option('rounds', 5);
  // --skip-build: use dist/ as it is (when another part of the workspace does not compile right now).
  if (!process.argv.includes('--skip-build')) buildIfStale();
  const events = stays(count, guests);
  const rounds: Round[] = [];
  for (let round = 1; round <= roundCount; round++) {
    log(`round ${round} of ${roundCount}`);
    const service = await benchService(events);
    const baseline = await benchSameConsumer(events);
    // The ratio means something only if both wrote the same rows.
    if (service.outbox !== baseline.outbox)
      throw new Error(
        `the baseline's outbox (${baseline.outbox}) differs from the service's (${service.outbox})`,
      );
    const creditsPerSecond = Math.round(count / service.seconds);
    const baselinePerSecond = Math.round(count / baseline.seconds);
    rounds.push({
      creditsPerSecond,
      baselinePerSecond,
      ratio: Number((creditsPerSecond / baselinePerSecond).toFixed(3)),
    });
  }
  const bareConsumerPerSecond = Math.round(count / (await benchBare(events)));
  const creditsPerSecond = median(rounds.map((round) => round.creditsPerSecond));
  process.stdout.write(
    `${JSON.stringify({
      stays: count,
      creditsPerSecond,
      baselinePerSecond: median(rounds.map((round) => round.baselinePerSecond)),
      ratio: median(rounds.map((round) => round.ratio)),
      bareConsumerPerSecond,
      bareRatio: Number((creditsPerSecond / bareConsumerPerSecond).toFixed(3)),
      rounds,
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
