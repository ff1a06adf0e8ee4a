import { parseArgs } from 'node:util';
import { topicName } from '@loyalty/contracts';
import { simulate, type Delivery } from '@loyalty/simulator';
import { answerSurveys } from './answer-surveys';
import { renderSummary, summarise, summaryTopics } from './chain-summary';
import { churnSection } from './churn-summary';
import { kafkaFor, readLog, totalLag } from './event-log';
import { fileComplaints } from './file-complaints';
import { postBatch } from './ingress-client';

const HELP = `loyalty simulator: a deterministic hotel chain sending its stays to the platform

  --seed N            (default 7)          --guests N   (default 300)   --days N (default 120)
  --start YYYY-MM-DD  (default 2025-01-01)  --via kafka|http (default kafka)
  --brokers LIST      (default KAFKA_BROKERS or 127.0.0.1:9092)  --prefix P (default KAFKA_TOPIC_PREFIX)
  --ingress URL       (default http://127.0.0.1:3006)  --api-key KEY (default the dev key)
  --duplicates R --out-of-order R --malformed R   shares of deliveries (defaults 0.02, 0.02, 0.01)
  --complaints N      complaints filed over the complaints HTTP intake after the stays (default 12)
  --complaints-url URL  (default http://127.0.0.1:3004)
  --surveys-url URL   the public survey answer endpoint's service (default http://127.0.0.1:3003)
  --no-wait           send and exit, without waiting for the pipeline or printing the summary`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '7' },
      guests: { type: 'string', default: '300' },
      days: { type: 'string', default: '120' },
      start: { type: 'string', default: '2025-01-01' },
      via: { type: 'string', default: 'kafka' },
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      prefix: { type: 'string', default: process.env.KAFKA_TOPIC_PREFIX ?? '' },
      ingress: { type: 'string', default: 'http://127.0.0.1:3006' },
      'api-key': { type: 'string', default: 'dev-only-ingress-key-change-me' },
      duplicates: { type: 'string', default: '0.02' },
      'out-of-order': { type: 'string', default: '0.02' },
      malformed: { type: 'string', default: '0.01' },
      complaints: { type: 'string', default: '12' },
      'complaints-url': { type: 'string', default: 'http://127.0.0.1:3004' },
      'surveys-url': { type: 'string', default: 'http://127.0.0.1:3003' },
      'no-wait': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(HELP);
  const startedAt = new Date(Date.now() - 1_000);
  const run = simulate({
    seed: Number(values.seed),
    guests: Number(values.guests),
    days: Number(values.days),
    startDate: values.start,
    duplicateRate: Number(values.duplicates),
    outOfOrderRate: Number(values['out-of-order']),
    malformedRate: Number(values.malformed),
  });
  console.log(
    `simulating ${run.guests.length} guests at ${run.chain.length} properties over ${values.days} days: ` +
      `${run.stays.length} stays, ${run.deliveries.length} deliveries via ${values.via}`,
  );
  const kafka = kafkaFor(values.brokers.split(','));
  const topic = topicName('stay-completed', values.prefix);
  if (values.via === 'http') await sendOverHttp(run.deliveries, values.ingress, values['api-key']);
  else await sendToKafka(kafka, topic, run.deliveries);
  if (values['no-wait']) return;

  const pipeline = summaryTopics(values.prefix).filter((t) => !t.endsWith('.dlq'));
  await waitForPipeline(kafka, pipeline);
  const surveys = {
    seed: Number(values.seed),
    prefix: values.prefix,
    surveysUrl: values['surveys-url'],
    since: startedAt,
  };
  if ((await answerSurveys(kafka, surveys)) > 0) await waitForPipeline(kafka, pipeline);
  const recorded = await readLog(kafka, [topicName('stay-recorded', values.prefix)], startedAt);
  const complaints = { seed: Number(values.seed), count: Number(values.complaints), prefix: values.prefix };
  if ((await fileComplaints(values['complaints-url'], recorded, complaints)) > 0) {
    await waitForPipeline(kafka, pipeline);
  }
  const log = await readLog(kafka, summaryTopics(values.prefix), startedAt);
  const summary = summarise(log, values.prefix);
  const options = {
    seed: Number(values.seed),
    guests: Number(values.guests),
    days: Number(values.days),
    startDate: values.start,
  };
  console.log(renderSummary(summary, churnSection(run, options, summary.churn, log)));
  if (Object.keys(summary.staysPerProperty).length === 0 && run.stays.length > 0) {
    // The platform deduplicates by reservation, so a seed sent before records nothing new.
    console.log(
      `\nNo stay was new: an earlier run already sent seed ${values.seed}. ` +
        'Run with another --seed, or start afresh with `bash infra/local reset`.',
    );
  }
}

async function sendToKafka(
  kafka: ReturnType<typeof kafkaFor>,
  topic: string,
  deliveries: Delivery[],
): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  for (let i = 0; i < deliveries.length; i += 500) {
    const slice = deliveries.slice(i, i + 500);
    await producer.send({ topic, acks: -1, messages: slice.map((d) => ({ key: d.key, value: d.value })) });
    progress('sent', i + slice.length, deliveries.length);
  }
  process.stderr.write('\n');
  await producer.disconnect();
}

async function sendOverHttp(deliveries: Delivery[], ingress: string, apiKey: string): Promise<void> {
  for (let i = 0; i < deliveries.length; i += 500) {
    const slice = deliveries.slice(i, i + 500);
    const events = slice.map((d) => (d.malformed === 'not-json' ? d.value : JSON.parse(d.value)));
    await postBatch(ingress, apiKey, events);
    progress('sent', i + slice.length, deliveries.length);
  }
  process.stderr.write('\n');
}

async function waitForPipeline(kafka: ReturnType<typeof kafkaFor>, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let quietPolls = 0;
  let peak = 1;
  const deadline = Date.now() + 10 * 60_000;
  while (quietPolls < 3) {
    if (Date.now() > deadline)
      throw new Error('the pipeline did not drain within 10 minutes; check the services with `loyalty lag`');
    const lag = await totalLag(admin, topics);
    peak = Math.max(peak, lag);
    progress('processing', peak - lag, peak, `${lag} behind`);
    quietPolls = lag === 0 ? quietPolls + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  process.stderr.write('\n');
  await admin.disconnect();
}

function progress(label: string, done: number, total: number, note = ''): void {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(
    `\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${note}   `,
  );
}

main().catch((error: unknown) => {
  console.error(`simulator failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
