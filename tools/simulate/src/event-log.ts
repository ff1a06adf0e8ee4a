import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { eventTypeOfTopic, topicDeclarations, type EventData } from '@loyalty/contracts';
import { askAgainWhileTransient } from '@loyalty/messaging/broker-answers';
import { registerCompressionCodecs } from '@loyalty/messaging/compression-codecs';
import { assignedPartitions, CLI_GROUP_PREFIX, type AssignedPartition } from '@loyalty/observability';
import type { LoggedEvent } from './chain-summary';

export function kafkaFor(brokers: string[]): Kafka {
  registerCompressionCodecs();
  return new Kafka({ clientId: 'loyalty-simulator', brokers, logLevel: logLevel.NOTHING });
}

/**
 * Every event topic of the platform, the ones to watch until the pipeline is done: not only those a
 * summary reads, as work goes on through the others too (a detractor's answer opens a complaint, a new
 * guest is registered for surveys).
 */
export function eventTopics(topicPrefix = ''): string[] {
  return topicDeclarations(topicPrefix)
    .filter((declaration) => declaration.kind === 'events')
    .map((declaration) => declaration.topic);
}

/** Messages behind, summed over every consumer group of the platform on the given topics. */
export function totalLag(admin: Admin, topics: string[], attempts = 5): Promise<number> {
  return askAgainWhileTransient(() => lagNow(admin, topics), attempts);
}

async function lagNow(admin: Admin, topics: string[]): Promise<number> {
  const existing = new Set(await admin.listTopics());
  const wanted = topics.filter((t) => existing.has(t));
  const ranges = await topicRanges(admin, wanted);
  const offsets = await groupOffsets(admin, wanted);
  const rangeOf = ({ topic, partition }: GroupOffset) =>
    ranges.get(`${topic}:${partition}`) ?? { low: 0, high: 0 };
  // Services read from the beginning and commit only after work, so a partition a group is assigned
  // but has committed nothing on is behind by all it holds, not up to date. A negative offset alone does
  // not tell: a group gets one for every topic it does not read too. And a commit behind the end may be
  // on a topic the group has left (moved to a lane, say), which Kafka keeps for days and no one will ever
  // catch up on. So a poll with either asks the broker which partitions are assigned (one request for all
  // groups); empty partitions and caught-up commits, which add nothing either way, ask nothing.
  const behind = offsets.filter((at) =>
    at.offset < 0 ? rangeOf(at).high > rangeOf(at).low : rangeOf(at).high > at.offset,
  );
  const asked = [...new Set(behind.map(({ groupId }) => groupId))];
  const assignments = await assignedPartitions(admin, asked);
  const assigned = new Set(assignments.map(groupPartition));
  // A group with members reads only the topics they are assigned; one without (its service stopped, or
  // between assignments) is counted by its commits, which it will resume from.
  const reads = new Set(assignments.map(({ groupId, topic }) => `${groupId}\u0000${topic}`));
  const readingAnything = new Set(assignments.map(({ groupId }) => groupId));
  const stillRead = ({ groupId, topic }: GroupOffset) =>
    !readingAnything.has(groupId) || reads.has(`${groupId}\u0000${topic}`);
  let lag = 0;
  for (const at of offsets) {
    const { low, high } = rangeOf(at);
    if (at.offset >= 0) {
      if (stillRead(at)) lag += Math.max(0, high - at.offset);
    } else if (assigned.has(groupPartition(at))) lag += high - low;
  }
  return lag;
}

/** One group's partition as `groupId\u0000topic:partition`. */
function groupPartition({ groupId, topic, partition }: AssignedPartition): string {
  return `${groupId}\u0000${topic}:${partition}`;
}

/** The end offset of each partition of `topics` (which exist), by `topic:partition`. */
export async function topicEnds(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const ranges = await topicRanges(admin, topics);
  return new Map([...ranges].map(([at, { high }]) => [at, high]));
}

/** The first and the end offset of each partition of `topics` (which exist), by `topic:partition`. */
async function topicRanges(
  admin: Admin,
  topics: string[],
): Promise<Map<string, { low: number; high: number }>> {
  const ranges = new Map<string, { low: number; high: number }>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      ranges.set(`${topic}:${p.partition}`, { low: Number(p.low), high: Number(p.high) });
    }
  }
  return ranges;
}

/** Where one consumer group has read up to in one partition. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * The offsets committed by the platform's consumer groups on `topics`, which exist (the simulator's own
 * groups, its probes among them, are left out): one entry a group and partition it has committed on.
 */
export async function platformOffsets(admin: Admin, topics: string[]): Promise<CommittedOffset[]> {
  return (await groupOffsets(admin, topics))
    .filter(({ offset }) => offset >= 0)
    .map(({ topic, partition, offset }) => ({ topic, partition, offset }));
}

/** One group's committed offset in one partition; negative when it has committed nothing there. */
interface GroupOffset extends CommittedOffset {
  groupId: string;
}

/** Every platform group's offset in every partition of `topics`, committed or not (negative). */
async function groupOffsets(admin: Admin, topics: string[]): Promise<GroupOffset[]> {
  // kafkajs reads a group's offsets on every topic when it is given none.
  if (topics.length === 0) return [];
  const { groups } = await admin.listGroups();
  const offsets: GroupOffset[] = [];
  // The on-call CLI's throw-away groups commit nothing and do no work of the pipeline.
  const platformGroups = groups.filter(
    (g) => !g.groupId.startsWith('loyalty-simulator') && !g.groupId.startsWith(CLI_GROUP_PREFIX),
  );
  for (const { groupId } of platformGroups) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
      for (const p of partitions) {
        offsets.push({ groupId, topic, partition: p.partition, offset: Number(p.offset) });
      }
    }
  }
  return offsets;
}

/** The data of the `stay-recorded` events in a log read with `readLog`. */
export function recordedStays(
  log: readonly LoggedEvent[],
  topicPrefix: string,
): EventData<'stay-recorded'>[] {
  return log
    .filter((event) => eventTypeOfTopic(event.topic, topicPrefix) === 'stay-recorded')
    .map((event) => (event.value as { data: EventData<'stay-recorded'> }).data);
}

/** Every record of `topics` appended at or after `since`, read up to the ends as they are now. */
export async function readLog(kafka: Kafka, topics: string[], since: Date): Promise<LoggedEvent[]> {
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const wanted = topics.filter((t) => existing.has(t));
  const remaining = new Map<string, number>();
  for (const topic of wanted) {
    for (const p of await askAgainWhileTransient(() => admin.fetchTopicOffsets(topic))) {
      if (Number(p.high) > Number(p.low)) remaining.set(`${topic}:${p.partition}`, Number(p.high));
    }
  }
  const groupId = `loyalty-simulator-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  const events: LoggedEvent[] = [];
  try {
    if (remaining.size === 0) return events;
    await consumer.connect();
    await consumer.subscribe({ topics: wanted, fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const key = `${topic}:${partition}`;
          if (Number(message.timestamp) >= since.getTime()) {
            const headers = Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
            );
            let value: unknown = null;
            try {
              value = JSON.parse(message.value?.toString() ?? 'null');
            } catch {
              value = null; // not JSON: still counted where it is a dead letter
            }
            events.push({ topic, headers, value });
          }
          if (Number(message.offset) + 1 >= (remaining.get(key) ?? 0)) remaining.delete(key);
          if (remaining.size === 0) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return events;
}
