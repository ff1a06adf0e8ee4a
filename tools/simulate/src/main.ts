import { parseArgs } from 'node:util';
import { topicName } from '@loyalty/contracts';
import { lastCheckOutDayBy, periodStartForCheckOutsBy, simulate } from '@loyalty/simulator';
import { answerSurveys } from './answer-surveys';
import { renderSummary, summarise, summaryTopics } from './chain-summary';
import { refitAndScanNow } from './churn-operations';
import { churnSection } from './churn-summary';
import { inBatches, onCompressedClock, type TimedBatch } from './compressed-clock';
import { eventTopics, kafkaFor, readLog, totalLag } from './event-log';
import { fileComplaints, LOGGED_LATE_DAYS, WITHDRAWN_SHARE } from './file-complaints';
import { ingressOutlet, kafkaOutlet, type Outlet } from './outlets';
import { redeemRewards } from './redeem-rewards';
import { calendarDate, daysPerSecond, share, via, wholeNumber } from './simulation-arguments';

const HELP = `loyalty simulator: a deterministic hotel chain sending its stays to the platform

  --seed N            (default 7)          --guests N   (default 300)   --days N (default 365)
  --start YYYY-MM-DD  (default: every stay has checked out by now, at every property: the last departures
                      are yesterday, UTC; the churn watch judges lapses by today;
                      pass it to send exactly the same events another day)  --via kafka|http (default kafka)
  --clock D           a compressed clock: D simulated days a second, each stay sent at its check-out
                      (default: backfill, everything at once as fast as the platform takes it)
  --brokers LIST      (default KAFKA_BROKERS or 127.0.0.1:9092)  --prefix P (default KAFKA_TOPIC_PREFIX)
  --ingress URL       (default http://127.0.0.1:3006)  --api-key KEY (default the dev key)
  --duplicates R --out-of-order R --malformed R   shares of deliveries (defaults 0.02, 0.02, 0.01)
  --complaints N      complaints filed over the complaints HTTP intake after the stays (default 12)
  --complaints-resolved R  share of them the front desk resolves during the run (default 0.5; a tenth
                      more are withdrawn, the rest stay open)
  --complaints-logged-late R  share of those resolved that were logged 8 days after the guest raised
                      them, and so breach their SLA (default 0.2)
  --complaints-url URL  (default http://127.0.0.1:3004)
  --surveys-url URL   the public survey answer endpoint's service (default http://127.0.0.1:3003)
  --redemptions R     share of members who then redeem the dearest reward they can afford (default 0.2)
  --ledger-url URL    (default http://127.0.0.1:3002)  --churn-url URL (default http://127.0.0.1:3005)
  --no-wait           send and exit, without waiting for the pipeline or printing the summary`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '7' },
      guests: { type: 'string', default: '300' },
      days: { type: 'string', default: '365' },
      start: { type: 'string' },
      via: { type: 'string', default: 'kafka' },
      clock: { type: 'string' },
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      prefix: { type: 'string', default: process.env.KAFKA_TOPIC_PREFIX ?? '' },
      ingress: { type: 'string', default: 'http://127.0.0.1:3006' },
      'api-key': { type: 'string', default: 'dev-only-ingress-key-change-me' },
      duplicates: { type: 'string', default: '0.02' },
      'out-of-order': { type: 'string', default: '0.02' },
      malformed: { type: 'string', default: '0.01' },
      complaints: { type: 'string', default: '12' },
      'complaints-resolved': { type: 'string', default: '0.5' },
      'complaints-logged-late': { type: 'string', default: '0.2' },
      'complaints-url': { type: 'string', default: 'http://127.0.0.1:3004' },
      'surveys-url': { type: 'string', default: 'http://127.0.0.1:3003' },
      redemptions: { type: 'string', default: '0.2' },
      'ledger-url': { type: 'string', default: 'http://127.0.0.1:3002' },
      'churn-url': { type: 'string', default: 'http://127.0.0.1:3005' },
      'no-wait': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(HELP);
  const startedAt = new Date(Date.now() - 1_000);
  const today = new Date().toISOString().slice(0, 10);
  const seed = wholeNumber('seed', values.seed, 0);
  const guests = wholeNumber('guests', values.guests, 1);
  const days = wholeNumber('days', values.days, 1);
  const startDate =
    values.start === undefined
      ? periodStartForCheckOutsBy(lastCheckOutDayBy(new Date()), days)
      : calendarDate('start', values.start);
  const run = simulate({
    seed,
    guests,
    days,
    startDate,
    duplicateRate: share('duplicates', values.duplicates),
    outOfOrderRate: share('out-of-order', values['out-of-order']),
    malformedRate: share('malformed', values.malformed),
  });
  const sendVia = via(values.via);
  const complaintCount = wholeNumber('complaints', values.complaints, 0);
  const redemptionShare = share('redemptions', values.redemptions, 1, 'members');
  const resolvedShare = share(
    'complaints-resolved',
    values['complaints-resolved'],
    1 - WITHDRAWN_SHARE,
    'complaints',
  );
  const loggedLateShare = share(
    'complaints-logged-late',
    values['complaints-logged-late'],
    1,
    'resolved complaints',
  );
  const clock = values.clock === undefined ? undefined : daysPerSecond(values.clock);
  console.log(
    `simulating ${run.guests.length} guests at ${run.chain.length} properties over ${values.days} days: ` +
      `${run.stays.length} stays, ${run.deliveries.length} deliveries via ${sendVia}, ` +
      (clock ? `${clock} simulated days a second` : 'as a backfill'),
  );
  const kafka = kafkaFor(values.brokers.split(','));
  const batches = clock ? onCompressedClock(run.deliveries, clock) : inBatches(run.deliveries);
  const outlet =
    sendVia === 'http'
      ? ingressOutlet(values.ingress, values['api-key'])
      : await kafkaOutlet(kafka, topicName('stay-completed', values.prefix));
  const rejectedAtIngress = await sendAll(batches, run.deliveries.length, outlet);
  if (values['no-wait']) return;

  const pipeline = eventTopics(values.prefix);
  await waitForPipeline(kafka, pipeline);
  const surveys = {
    seed,
    prefix: values.prefix,
    surveysUrl: values['surveys-url'],
    since: startedAt,
  };
  if ((await answerSurveys(kafka, surveys)) > 0) await waitForPipeline(kafka, pipeline);
  const recorded = await readLog(kafka, [topicName('stay-recorded', values.prefix)], startedAt);
  const complaints = {
    seed,
    count: complaintCount,
    prefix: values.prefix,
    resolved: resolvedShare,
    loggedLate: loggedLateShare,
  };
  const { filed, loggedLate } = await fileComplaints(values['complaints-url'], recorded, complaints);
  if (filed > 0) {
    console.log(
      `filed ${filed} complaints, ${loggedLate} of them logged ${LOGGED_LATE_DAYS} days after the guest raised them`,
    );
    await waitForPipeline(kafka, pipeline);
  }
  const redemptions = { seed, share: redemptionShare, prefix: values.prefix };
  if ((await redeemRewards(values['ledger-url'], recorded, redemptions)).rewards > 0) {
    await waitForPipeline(kafka, pipeline);
  }
  await refitAndScanNow(values['churn-url']);
  await waitForPipeline(kafka, pipeline);
  const log = await readLog(kafka, summaryTopics(values.prefix), startedAt);
  const summary = summarise(log, values.prefix, rejectedAtIngress);
  const options = { seed, guests, days, startDate };
  console.log(renderSummary(summary, churnSection(run, options, summary.churn, log, today)));
  if (Object.keys(summary.staysPerProperty).length === 0 && run.stays.length > 0) {
    // The platform deduplicates by reservation, so a seed sent before records nothing new.
    console.log(
      `\nNo stay was new: an earlier run already sent seed ${values.seed}. ` +
        'Run with another --seed, or start afresh with `bash infra/local reset`.',
    );
  }
}

/** Sends every batch; answers how many deliveries were refused on receipt, by code. */
async function sendAll(
  batches: Iterable<TimedBatch> | AsyncIterable<TimedBatch>,
  total: number,
  outlet: Outlet,
): Promise<Map<string, number>> {
  const refused = new Map<string, number>();
  let sent = 0;
  try {
    for await (const batch of batches) {
      for (const code of await outlet.send(batch.deliveries)) refused.set(code, (refused.get(code) ?? 0) + 1);
      sent += batch.deliveries.length;
      progress('sent', sent, total, `up to ${batch.simulatedAt.slice(0, 10)}`);
    }
  } finally {
    await outlet.close();
  }
  process.stderr.write('\n');
  return refused;
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
