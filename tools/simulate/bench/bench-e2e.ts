import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Client } from 'pg';
import { topicName } from '@loyalty/contracts';
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { simulate, type Delivery } from '@loyalty/simulator';
import { percentile } from '@loyalty/observability';
import { ServiceProcess, SERVICE_LOG_DIR } from '@loyalty/testing';
import { kafkaFor, platformOffsets, topicEnds, totalLag } from '../src/event-log';
import { postBatch } from '../src/ingress-client';
import { servicesToRun, type BenchService } from '../src/bench-services';
import { refitAndScanNow } from '../src/churn-operations';
import { cpuUsedMs, processesRunning, readCpu, type CpuReadings } from '../src/cpu-time';
import { SIMULATION_SERVICE_ENV } from '../src/simulation-env';

/**
 * End-to-end benchmark: N simulated stays through ingress → profiles → points-ledger (and surveys,
 * complaints and the churn-watcher, which consume every recorded stay) on the real broker, each
 * service a real process on its own database and topic prefix. Prints throughput (stays per second
 * until every consumer group of `stay-completed` and `stay-recorded` has caught up, and until every
 * group of every topic has, the ledger's events and what they cause included), end-to-end latency
 * percentiles at a steady rate from the upstream publish to `points-earned`, peak memory per service,
 * and a raw baseline (a bare kafkajs consumer writing the same stays to Postgres with no logic) with the
 * ratio. The last line is
 * one JSON object. It also gives the CPU time each stay cost in the backfill, per service, Postgres and
 * a local broker, to set against the machine's cores. BENCH_VIA=kafka produces straight to
 * `stay-completed` instead of the HTTP ingress; BENCH_SERVICES runs a subset of the services (see
 * `servicesToRun`).
 */
const ADMIN_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const STAYS = Number(process.env.BENCH_STAYS ?? 20_000);
const STEADY_RATE = Number(process.env.BENCH_STEADY_RATE ?? 300);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 20);
const VIA = process.env.BENCH_VIA ?? 'http';
const INGRESS_KEY = 'bench:bench-only-ingress-key:*';
// The topics an upstream stay crosses on its way to points.
const HOPS = ['stay-completed', 'stay-recorded', 'points-earned'] as const;
// Concurrent batch requests to the ingress: upstream systems are many, each sending its own batches.
const INGRESS_CONCURRENCY = 4;

async function createDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_DB });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_DB);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DB });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/**
 * The process's peak resident memory (VmHWM), read once at the end: exact, and unlike polling each
 * service's /metrics it costs the services nothing while they are measured.
 */
function peakResidentMb(service: ServiceProcess): number {
  const status = readFileSync(`/proc/${service.pid}/status`, 'utf8');
  const kilobytes = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  return Math.round(kilobytes / 1024);
}

async function main(): Promise<void> {
  const services = servicesToRun(process.env.BENCH_SERVICES);
  const tag = randomBytes(3).toString('hex');
  const prefix = `bench${tag}.`;
  const databases = services.map((name) => `bench_${name.replace('-', '_')}_${tag}`);
  const baselineDb = `bench_baseline_${tag}`;
  const processes: ServiceProcess[] = [];
  const kafka = kafkaFor(BROKERS);
  let probe: HopProbe | undefined;
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  try {
    const urls = await Promise.all(databases.map(createDatabase));
    for (const [i, name] of services.entries()) {
      processes.push(
        await ServiceProcess.create(name, {
          ...SIMULATION_SERVICE_ENV,
          DATABASE_URL: urls[i],
          KAFKA_TOPIC_PREFIX: prefix,
          INGRESS_API_KEYS: INGRESS_KEY,
          INGRESS_EVENTS_PER_SECOND: '1000000',
          // Warnings and errors only, kept for when a run fails.
          LOG_LEVEL: 'warn',
        }),
      );
    }
    console.error(`[bench] services' warnings go to ${SERVICE_LOG_DIR}`);
    await Promise.all(processes.map((service) => service.start({ timeoutMs: 120_000 })));
    const serviceNamed = (name: BenchService) => processes.find((service) => service.service === name);
    const ingress = serviceNamed('ingress') as ServiceProcess;
    const churnWatch = serviceNamed('churn-watcher');

    await producer.connect();
    const stayTopic = topicName('stay-completed', prefix);

    // Phase 1: backfill as fast as the system takes it.
    const backfill = simulate({
      seed: 11,
      guests: Math.ceil(STAYS / 4),
      startDate: '2025-01-01',
      days: 365,
    }).deliveries.slice(0, STAYS);
    const send = (deliveries: Delivery[]) =>
      VIA === 'kafka' ? produce(producer, stayTopic, deliveries) : postToIngress(ingress, deliveries);
    const cpuAtStart = await readPipelineCpu(processes, databases);
    const started = Date.now();
    await send(backfill);
    const expected = backfill.length;
    // Done when profiles and the ledger have both committed every message (stays that earn nothing,
    // such as OTA bookings, publish no points-earned, so that cannot be the signal).
    const admin = kafka.admin();
    await admin.connect();
    // Once a second: each poll asks the broker for every group's offsets, and asked more often those
    // requests were half of what the broker handled, taking CPU from the pipeline being measured.
    const drained = async (topics: string[]): Promise<number> => {
      const since = Date.now();
      let quietSince = 0;
      for (let quiet = 0; quiet < 3;) {
        if (Date.now() - since > 15 * 60_000) throw new Error('the pipeline did not drain in 15 minutes');
        const lag = await totalLag(admin, topics);
        quiet = lag === 0 ? quiet + 1 : 0;
        if (quiet === 1) quietSince = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      return quietSince;
    };
    const drainedAt = await drained([stayTopic, topicName('stay-recorded', prefix)]);
    const throughput = expected / ((drainedAt - started) / 1000);
    // The steady rate is measured on a quiet system, not while the backfill's tail still runs: profiles
    // applying the ledger's points-earned and tier-changed, surveys, complaints and churn watch.
    const everyTopic = async () => (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    const wholePipelineThroughput = expected / (((await drained(await everyTopic())) - started) / 1000);
    // The churn watch's first model fit and scan are part of the backfill's tail: left to its scheduler
    // they would land in the middle of the steady phase. Run them now, and let their alerts be consumed.
    if (churnWatch) await refitAndScanNow(churnWatch.baseUrl);
    await drained(await everyTopic());
    const cpuMsPerStay = cpuPerStay(cpuAtStart, await readPipelineCpu(processes, databases), expected);

    const hopTopics = HOPS.map((type) => topicName(type, prefix));
    const hopProbe = await HopProbe.start(kafka, tag, hopTopics);
    probe = hopProbe;
    const [completedAt, recordedAt, earnedAt] = hopTopics.map((topic) => hopProbe.seenAt(topic));

    // Phase 2: a steady rate, measuring publish-to-points-earned latency per stay.
    const steady = simulate({ seed: 12, guests: 2_000, startDate: '2026-01-01', days: 365 }).deliveries.slice(
      0,
      STEADY_RATE * STEADY_SECONDS,
    );
    const sentAt = new Map<string, number>();
    const tick = 100;
    const perTick = Math.max(1, Math.round((STEADY_RATE * tick) / 1000));
    const steadyStart = Date.now();
    const dueAt = (i: number) => steadyStart + (i / STEADY_RATE) * 1000;
    for (let i = 0; i < steady.length; i += perTick) {
      const slice = steady.slice(i, i + perTick);
      // Timed from when the slice was due, not from when it went: a send held up by the one before it
      // keeps its stays waiting in the generator, as an upstream system's would, and that wait counts.
      for (const d of slice) sentAt.set(JSON.parse(d.value).correlationid, dueAt(i));
      await send(slice);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt(i + perTick) - Date.now())));
    }
    // Latency is measured on the stays that earn points: once every topic has drained, each has its
    // points-earned (the probe reads them as they come).
    const sendsEndedAt = Date.now();
    await drained(await everyTopic());
    await admin.disconnect();
    const latencies = [...sentAt]
      .filter(([c]) => earnedAt.has(c))
      .map(([c, at]) => (earnedAt.get(c) as number) - at);
    const hop = (from: (c: string) => number | undefined, to: ReadonlyMap<string, number>) =>
      percentiles(
        [...sentAt.keys()].flatMap((c) => {
          const start = from(c);
          const end = to.get(c);
          return start === undefined || end === undefined ? [] : [end - start];
        }),
      );

    const work = await workPerStay(kafka, prefix, databases, expected + steady.length);
    // Raw baseline: the same stays, a bare consumer, one insert of the rows of each fetched batch, no logic.
    const baseline = await rawBaseline(kafka, stayTopic, await createDatabase(baselineDb), expected);
    const result = {
      via: VIA,
      stays: expected,
      staysPerSecond: Math.round(throughput),
      wholePipelinePerSecond: Math.round(wholePipelineThroughput),
      baselinePerSecond: Math.round(baseline),
      ratio: Number((throughput / baseline).toFixed(3)),
      steadyRate: STEADY_RATE,
      latencyMs: percentiles(latencies),
      latencySamples: latencies.length,
      steadyStays: steady.length,
      steadySendsLateMs: Math.max(0, sendsEndedAt - dueAt(steady.length)),
      // Where the latency goes: from the send to stay-completed, then each service's hop.
      hopLatencyMs: {
        ingress: hop((c) => sentAt.get(c), completedAt),
        profiles: hop((c) => completedAt.get(c), recordedAt),
        pointsLedger: hop((c) => recordedAt.get(c), earnedAt),
      },
      // What the ratio compares: the raw baseline reads one record and writes one row per stay.
      workPerStay: work,
      peakMemoryMb: Object.fromEntries(
        processes.map((service) => [service.service, peakResidentMb(service)]),
      ),
      // Measured from the backfill's first send until every consumer group had caught up. On `cores`
      // cores, N stays per second leave at most cores × 1000 / N ms of CPU per stay.
      cpuMsPerStay,
      cores: availableParallelism(),
    };
    console.log(JSON.stringify(result));
  } finally {
    // SIGKILL after 30 s: a service that does not drain must not hold the run.
    await Promise.all(processes.map((service) => service.stop({ killAfterMs: 30_000 })));
    await probe?.stop();
    await producer.disconnect().catch(() => undefined);
    await Promise.all([...databases, baselineDb].map((db) => dropDatabase(db).catch(() => undefined)));
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * The work each stay caused, over every stay sent (backfill and steady): records on the run's topics
 * (dead-letter topics included), records the services' consumer groups read, and rows inserted, updated
 * or deleted and transactions committed in the services' databases. Postgres publishes a backend's
 * counters within seconds, not at each commit, so the last second of the steady phase may be missing:
 * the figures are accurate to about 1%.
 */
async function workPerStay(
  kafka: ReturnType<typeof kafkaFor>,
  prefix: string,
  databases: string[],
  stays: number,
): Promise<{ brokerRecords: number; deliveries: number; rowWrites: number; commits: number }> {
  const admin = kafka.admin();
  await admin.connect();
  let records = 0;
  let deliveries = 0;
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    for (const end of (await topicEnds(admin, topics)).values()) records += end;
    // Every group has read up to here: its committed offset counts the records it read.
    for (const { offset } of await platformOffsets(admin, topics)) deliveries += offset;
  } finally {
    await admin.disconnect();
  }
  const db = new Client({ connectionString: ADMIN_DB });
  await db.connect();
  const { rows } = await db
    .query<{ writes: string; commits: string }>(
      `select sum(tup_inserted + tup_updated + tup_deleted) as writes, sum(xact_commit) as commits
       from pg_stat_database where datname = any($1::text[])`,
      [databases],
    )
    .finally(() => db.end());
  const perStay = (count: number) => Number((count / stays).toFixed(2));
  return {
    brokerRecords: perStay(records),
    deliveries: perStay(deliveries),
    rowWrites: perStay(Number(rows[0].writes)),
    commits: perStay(Number(rows[0].commits)),
  };
}

interface PipelineCpu {
  byProcess: Map<string, CpuReadings>;
  loadGenerator: NodeJS.CpuUsage;
}

/**
 * The CPU used so far by what a stay passes through: each service; Postgres, as the backends of the
 * run's databases and the server's own background processes (the WAL writer and checkpointer write
 * what the services commit); and the broker when it runs on this machine. The load generator is this
 * process: it posts the stays and reads the hops' topics.
 */
async function readPipelineCpu(services: ServiceProcess[], databases: string[]): Promise<PipelineCpu> {
  const db = new Client({ connectionString: ADMIN_DB });
  await db.connect();
  const { rows } = await db
    .query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = any($1::text[]) or datname is null',
      [databases],
    )
    .finally(() => db.end());
  // A server in a container or on another host has pids that are not this machine's: only local
  // postgres processes are read.
  const local = new Set(processesRunning('postgres'));
  const postgres = rows.map((row) => row.pid).filter((pid) => local.has(pid));
  const byProcess = new Map<string, CpuReadings>(
    services.map((service) => [service.service, readCpu(service.pid === undefined ? [] : [service.pid])]),
  );
  byProcess.set('postgres', readCpu(postgres));
  byProcess.set('broker', readCpu(processesRunning('kafka.Kafka')));
  return { byProcess, loadGenerator: process.cpuUsage() };
}

function cpuPerStay(start: PipelineCpu, end: PipelineCpu, stays: number): Record<string, number> {
  const perStay = (ms: number) => Number((ms / stays).toFixed(3));
  const figures: Record<string, number> = {};
  for (const [name, readings] of end.byProcess) {
    // No broker process on this machine (a remote or containerised one): nothing to report for it.
    if (readings.size === 0) continue;
    figures[name] = perStay(cpuUsedMs(start.byProcess.get(name) ?? new Map(), readings));
  }
  const generatorMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;
  figures.loadGenerator = perStay(
    (generatorMicros(end.loadGenerator) - generatorMicros(start.loadGenerator)) / 1000,
  );
  figures.total = Number(
    Object.values(figures)
      .reduce((sum, ms) => sum + ms, 0)
      .toFixed(3),
  );
  return figures;
}

const percentiles = (values: number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
});

/**
 * When each hop put an upstream event's consequence on the broker, by the upstream event's correlation
 * id: the ingress its stay-completed, profiles the stay-recorded, the ledger the points-earned. Started
 * once the backfill is measured: reading three records a stay, during the backfill it would take the
 * CPU of the pipeline it measures.
 */
class HopProbe {
  private readonly seen: Map<string, Map<string, number>>;
  /** Past the last record read, by `topic:partition`. */
  private readonly readTo = new Map<string, number>();

  private constructor(
    private readonly consumer: Consumer,
    topics: string[],
  ) {
    this.seen = new Map(topics.map((topic) => [topic, new Map()]));
  }

  /** Reads the topics from the start, and returns once it has caught up with their ends. */
  static async start(kafka: Kafka, tag: string, topics: string[]): Promise<HopProbe> {
    // Named like the simulator's own groups, which the lag poll leaves out: the probe commits nothing.
    const probe = new HopProbe(kafka.consumer({ groupId: `loyalty-simulator-probe-${tag}` }), topics);
    await probe.consumer.connect();
    await probe.consumer.subscribe({ topics, fromBeginning: true });
    await probe.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => probe.record(topic, partition, message),
    });
    try {
      await probe.catchUp(kafka, topics);
    } catch (error) {
      await probe.stop();
      throw error;
    }
    return probe;
  }

  /** When each correlation id was first on `topic`, one of the topics the probe reads. */
  seenAt(topic: string): ReadonlyMap<string, number> {
    return this.seen.get(topic) ?? new Map();
  }

  stop(): Promise<void> {
    return this.consumer.disconnect().catch(() => undefined);
  }

  /** The steady phase starts on a quiet system, not while the probe still reads the backfill. */
  private async catchUp(kafka: Kafka, topics: string[]): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await topicEnds(admin, topics);
      const deadline = Date.now() + 120_000;
      while ([...ends].some(([at, end]) => (this.readTo.get(at) ?? 0) < end)) {
        if (Date.now() > deadline) throw new Error('the latency probe did not catch up in 2 minutes');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await admin.disconnect();
    }
  }

  private record(topic: string, partition: number, message: KafkaMessage): void {
    this.readTo.set(`${topic}:${partition}`, Number(message.offset) + 1);
    // Stays produced straight to Kafka (BENCH_VIA=kafka) carry their ids in the body only.
    const correlation =
      message.headers?.['correlation-id']?.toString() ??
      (JSON.parse(String(message.value)) as { correlationid?: string }).correlationid;
    const at = this.seen.get(topic);
    if (correlation && at && !at.has(correlation)) at.set(correlation, Number(message.timestamp));
  }
}

async function produce(producer: Producer, topic: string, deliveries: Delivery[]): Promise<void> {
  for (let i = 0; i < deliveries.length; i += 500) {
    const messages = deliveries.slice(i, i + 500).map((d) => ({ key: d.key, value: d.value }));
    await producer.send({ topic, acks: -1, messages });
  }
}

/** Batches of 500 to the ingress, a few requests at a time; the ingress answers once they are on Kafka. */
async function postToIngress(ingress: ServiceProcess, deliveries: Delivery[]): Promise<void> {
  const batches: Delivery[][] = [];
  for (let i = 0; i < deliveries.length; i += 500) batches.push(deliveries.slice(i, i + 500));
  const [, apiKey] = INGRESS_KEY.split(':');
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      await postBatch(
        ingress.baseUrl,
        apiKey,
        batch.map((d) => JSON.parse(d.value)),
      );
    }
  };
  await Promise.all(Array.from({ length: INGRESS_CONCURRENCY }, worker));
}

async function rawBaseline(
  kafka: ReturnType<typeof kafkaFor>,
  topic: string,
  url: string,
  count: number,
): Promise<number> {
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(
    'create table stays (event_id uuid primary key, property_id text, reservation_id text, nights int)',
  );
  const consumer = kafka.consumer({ groupId: `bench-baseline-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let stored = 0;
  // From the first batch, as the pipeline's services had joined their groups before its clock started.
  let started: number | undefined;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        started ??= Date.now();
        const rows = batch.messages.flatMap((m) => {
          try {
            const e = JSON.parse(m.value?.toString() ?? '');
            return [[e.id, e.data.propertyId, e.data.reservationId, e.data.nights]];
          } catch {
            return [];
          }
        });
        await db.query(
          `insert into stays select * from unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) on conflict do nothing`,
          [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
        );
        stored += rows.length;
        if (stored >= count) resolve();
      },
    });
  });
  const elapsed = (Date.now() - (started as number)) / 1000;
  await consumer.disconnect();
  await db.end();
  return count / elapsed;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
