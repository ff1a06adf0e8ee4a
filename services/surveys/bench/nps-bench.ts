// NPS query latency over 10 million answers in the real Postgres aggregates.
//
//   npm run bench:nps [-- --answers 10000000 --properties 200 --days 730 --queries 3000]
//
// 1. Generates the answers deterministically in Node and folds each one with the service's own
//    `bucketOf` / `addInto` (the increment an arriving answer adds), so the aggregate rows are exactly
//    what feeding the answers through the service would leave; bulk-loads them with the service's
//    `AggregateStore.add` into a fresh database migrated with the service's migrations.
// 2. Runs NPS queries for random properties, periods (week, month, rolling 90 days) and dates through
//    `InsightService.nps`, the code behind GET /insight/nps. The last line is one JSON object.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { percentile } from '@loyalty/observability';
import { addDays } from '@loyalty/time';
import type { ScoredAnswer } from '../src/domain/answer-validation';
import { PERIODS } from '../src/domain/periods';
import { addInto, bucketOf, emptyBucket, type SurveyBucket } from '../src/domain/survey-bucket';
import { AggregateStore, type DayIncrement } from '../src/insight/aggregate-store';
import { InsightService } from '../src/insight/insight.service';
import { SURVEYS_MIGRATIONS } from '../src/app.module';

const ADMIN_DB = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FIRST_DAY = '2024-01-01';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const log = (message: string) => process.stderr.write(`[bench:nps] ${message}\n`);

/** mulberry32: small, fast and deterministic, so every run loads the same answers. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A plausible answer: a property's mood shifts scores; 5% skip the recommend question. */
function answer(next: () => number, mood: number): ScoredAnswer {
  const level = Math.min(1, Math.max(0, mood + (next() - 0.5) * 0.8));
  const score = (max: number, min: number) => Math.round(min + level * (max - min) + (next() - 0.5) * 2);
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
  const five = () => clamp(score(5, 1), 1, 5);
  return {
    ...(next() < 0.05 ? {} : { nps: clamp(score(10, 0), 0, 10) }),
    csat: five(),
    quality: {
      reliability: five(),
      responsiveness: five(),
      assurance: five(),
      empathy: five(),
      tangibles: five(),
    },
    departments:
      next() < 0.5 ? { 'front-desk': five(), housekeeping: five() } : { 'food-and-beverage': five() },
  };
}

async function load(db: DataSource, answers: number, properties: number, days: number): Promise<number> {
  const next = random(7);
  const perDay = answers / (properties * days);
  let produced = 0;
  let increments: DayIncrement[] = [];
  for (let p = 0; p < properties; p++) {
    const propertyId = `P${String(p).padStart(4, '0')}`;
    const mood = 0.35 + 0.5 * next();
    for (let d = 0; d < days; d++) {
      // Spread the remainder so exactly `answers` are generated.
      const target = Math.round(perDay * (p * days + d + 1));
      const bucket: SurveyBucket = emptyBucket();
      for (; produced < target; produced++) addInto(bucket, bucketOf(answer(next, mood)));
      increments.push({
        propertyId,
        day: addDays(FIRST_DAY, d),
        invited: Math.round(bucket.responses * 3.2),
        bucket,
      });
      if (increments.length === 2000) {
        await AggregateStore.add(db.manager, increments);
        increments = [];
      }
    }
    if (p % 20 === 19) log(`loaded ${produced.toLocaleString('en-US')} answers`);
  }
  await AggregateStore.add(db.manager, increments);
  await db.query(
    `insert into survey_properties (property_id, brand) select property_id, 'brand-' || (hashtext(property_id) & 3)
     from survey_daily group by property_id`,
  );
  await db.query('analyze');
  return produced;
}

async function main(): Promise<void> {
  const [answers, properties, days, queries] = [
    option('answers', 10_000_000),
    option('properties', 200),
    option('days', 730),
    option('queries', 3000),
  ];
  const name = `surveys_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DB });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_DB);
  url.pathname = `/${name}`;
  // Every migration the service runs: the aggregates are written as the service writes them now.
  const db = new DataSource({
    type: 'postgres',
    url: url.toString(),
    migrations: [...SURVEYS_MIGRATIONS],
    migrationsTransactionMode: 'each',
  });
  try {
    await db.initialize();
    await db.runMigrations();
    const started = Date.now();
    const loaded = await load(db, answers, properties, days);
    const loadSeconds = (Date.now() - started) / 1000;
    const [rows] = await db.query(
      `select (select sum(responses) from survey_daily)::bigint as responses,
              (select count(*) from survey_daily) as daily, (select count(*) from survey_daily_scores) as scores`,
    );
    log(`${rows.responses} answers in ${rows.daily} day rows and ${rows.scores} score rows, ${loadSeconds}s`);

    const insight = new InsightService(db);
    const next = random(11);
    const target = () => ({
      scope: 'property' as const,
      id: `P${String(Math.floor(next() * properties)).padStart(4, '0')}`,
      period: PERIODS[Math.floor(next() * PERIODS.length)],
      date: addDays(FIRST_DAY, Math.floor(next() * days)),
    });
    for (let i = 0; i < 200; i++) await insight.nps(target());
    const timings: number[] = [];
    for (let i = 0; i < queries; i++) {
      const t0 = process.hrtime.bigint();
      await insight.nps(target());
      timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    timings.sort((a, b) => a - b);
    const ms = (value: number) => Math.round(value * 100) / 100;
    const figures = {
      bench: 'nps-query',
      answers: loaded,
      answersInAggregates: Number(rows.responses),
      dayRows: Number(rows.daily),
      scoreRows: Number(rows.scores),
      loadSeconds,
      queries,
      p50Ms: ms(percentile(timings, 50)),
      p95Ms: ms(percentile(timings, 95)),
      p99Ms: ms(percentile(timings, 99)),
      maxMs: ms(timings[timings.length - 1]),
      targetP99Ms: 50,
    };
    console.log(
      `NPS query over ${loaded.toLocaleString('en-US')} answers: p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    if (db.isInitialized) await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:nps failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
