import { DEAD_LETTER_HEADERS, deadLetterTopicName } from '@loyalty/contracts';
import { isTransientBrokerAnswer } from '@loyalty/messaging/broker';
import { CompressionTypes, type Admin, type Producer, type RecordMetadata } from 'kafkajs';
import { CliError, EXIT } from '../errors';
import type { CommandContext } from '../context';
import {
  heldBehind,
  letterEventId,
  letterPosition,
  letterReason,
  letterSource,
  lostOrigins,
  orderKey,
  outlineLetter,
  planReplay,
  ReasonCounts,
  selectsLetter,
  type LetterSelection,
  type ReadLetter,
} from '../lib/dead-letters';
import { parseTimePoint } from '../lib/duration';
import {
  operatingUser,
  replayEntryMessage,
  ReplayLog,
  replayLogTopic,
  type ReplayEntry,
  replayLogTopicSpec,
} from '../lib/replay-log';
import { sameId } from '../lib/ids';
import type { EventRecord } from '../lib/event-record';
import { table } from '../lib/format';
import { isEnvironmentTopic } from '../lib/environment-topics';
import { explainKafkaError, kafkaClient, resolveTopics, withAdmin } from '../kafka';
import { scanTopics } from '../scan';

export interface DlqOptions {
  topic?: string[];
  since?: string;
  json?: boolean;
}

export interface ReplayOptions extends DlqOptions {
  partition?: string;
  fromOffset?: string;
  toOffset?: string;
  eventId?: string[];
  reason?: string;
  all?: boolean;
  dryRun?: boolean;
}

/**
 * The dead-letter topics to read, of the `listed` topics: those named (`points-earned` or
 * `points-earned.dlq`), else all.
 */
function deadLetterTopics(
  listed: readonly string[],
  ctx: CommandContext,
  named: string[] | undefined,
): string[] {
  const { prefix } = ctx.connection;
  if (named?.length) {
    return resolveTopics(
      listed,
      named.map((name) => (name.endsWith('.dlq') ? name : deadLetterTopicName(name))),
      prefix,
    );
  }
  return listed.filter((topic) => topic.endsWith('.dlq') && isEnvironmentTopic(topic, prefix)).sort();
}

/**
 * Reads the dead-letter topics from `from` to their current end, handing each letter to `onLetter`, and
 * with them, into `replays`, the record of earlier replays (written after their letters, so `from` misses
 * none of a letter read). Throws when interrupted: acting on part of the letters (a replay above all)
 * would be acting on a guess. Answers whether the record of replays exists, from the one listing of the
 * broker's topics it reads.
 */
async function readLetters(
  admin: Admin,
  ctx: CommandContext,
  options: DlqOptions,
  from: 'beginning' | number,
  onLetter: (letter: EventRecord) => void,
  replays?: ReplayLog,
): Promise<{ replayLogExists: boolean }> {
  const listed = await admin.listTopics();
  const logTopic = replayLogTopic(ctx.connection.prefix);
  const replayLogExists = listed.includes(logTopic);
  const topics = deadLetterTopics(listed, ctx, options.topic);
  if (topics.length === 0) return { replayLogExists };
  const readsLog = replays !== undefined && replayLogExists;
  const { interrupted } = await scanTopics(ctx.connection, admin, {
    topics: readsLog ? [...topics, logTopic] : topics,
    from,
    until: 'end',
    command: 'dlq',
    onRecord: (record) => (record.topic === logTopic ? replays?.add(record) : onLetter(record)),
    stopped: ctx.stopped,
  });
  if (interrupted) throw new CliError('interrupted before every dead letter was read', EXIT.interrupted);
  return { replayLogExists };
}

const sinceOption = (options: DlqOptions): 'beginning' | number =>
  options.since ? parseTimePoint(options.since, '--since') : 'beginning';

/** The letters `keep` accepts, in their order on the dead-letter topics. */
async function keptLetters(
  admin: Admin,
  ctx: CommandContext,
  options: DlqOptions,
  keep: (letter: EventRecord) => boolean,
  replays?: ReplayLog,
): Promise<EventRecord[]> {
  const letters: EventRecord[] = [];
  await readLetters(
    admin,
    ctx,
    options,
    sinceOption(options),
    (letter) => {
      if (keep(letter)) letters.push(letter);
    },
    replays,
  );
  return letters.sort(
    (a, b) =>
      a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(a.offset) - Number(b.offset),
  );
}

export async function dlqListCommand(options: DlqOptions, ctx: CommandContext): Promise<void> {
  await withAdmin(ctx.connection, async (admin) => {
    const counts = new ReasonCounts();
    await readLetters(admin, ctx, options, sinceOption(options), (letter) => counts.add(letter));
    const groups = counts.groups();
    if (options.json) {
      ctx.out(JSON.stringify(groups));
      return;
    }
    if (groups.length === 0) {
      ctx.out('no dead letters');
      return;
    }
    const rows = groups.map((g) => [
      g.reason,
      g.count,
      g.topics.join(','),
      g.firstFailedAt ?? '',
      g.lastFailedAt ?? '',
    ]);
    ctx.out(table(['REASON', 'COUNT', 'TOPICS', 'FIRST', 'LAST'], rows, ctx.paint));
    ctx.out(
      ctx.paint.dim(
        `${groups.reduce((n, g) => n + g.count, 0)} dead letter(s); see one with \`loyalty dlq show <topic:partition:offset | event-id>\``,
      ),
    );
  });
}

type LetterRef = { topic: string; partition: number; offset: number } | { eventId: string };

/** `<topic>:<partition>:<offset>` or an event id. */
function parseLetterRef(ref: string): LetterRef {
  const match = /^(.+):(\d+):(\d+)$/.exec(ref);
  if (match) return { topic: match[1], partition: Number(match[2]), offset: Number(match[3]) };
  return { eventId: ref };
}

/**
 * Whether a letter is the one referred to. A position on a `.dlq` topic is the letter's own; one on an
 * event topic is the failed record's, as services log it (`dead-lettered points-earned[2]@17`), and
 * finds the letters made of that record, wherever they sit on the dead-letter topic.
 */
function isReferredTo(letter: EventRecord, wanted: LetterRef): boolean {
  if ('eventId' in wanted) return sameId(letterEventId(letter), wanted.eventId);
  if (wanted.topic.endsWith('.dlq'))
    return letter.partition === wanted.partition && Number(letter.offset) === wanted.offset;
  // The letter's topic is resolved (prefix included), which the source topic header is too.
  const sourceTopic = letter.topic.slice(0, -'.dlq'.length);
  return letterSource(letter) === `${sourceTopic}:${wanted.partition}:${wanted.offset}`;
}

function showLetter(letter: EventRecord, replays: ReplayLog, ctx: CommandContext): void {
  const { paint } = ctx;
  const line = (name: string, value: string) => ctx.out(`${paint.bold(name.padEnd(22))} ${value}`);
  line('position', letterPosition(letter));
  line('timestamp', new Date(letter.timestamp).toISOString());
  for (const replay of replays.of(letterPosition(letter), letterEventId(letter)))
    line('replayed', `${replay.replayedAt} by ${replay.by} -> ${replay.copy}`);
  line('key', letter.key ?? '(null)');
  for (const [name, value] of Object.entries(letter.headers)) {
    line(
      name,
      name === DEAD_LETTER_HEADERS.reason || name === DEAD_LETTER_HEADERS.detail ? paint.red(value) : value,
    );
  }
  ctx.out(paint.bold('value'));
  ctx.out(
    letter.event
      ? JSON.stringify(letter.event, null, 2)
      : `${paint.red(letter.unreadable ?? '')}\n${letter.value?.toString('base64') ?? '(null)'} (base64)`,
  );
}

export async function dlqShowCommand(ref: string, options: DlqOptions, ctx: CommandContext): Promise<void> {
  const wanted = parseLetterRef(ref);
  await withAdmin(ctx.connection, async (admin) => {
    const scoped = 'topic' in wanted ? { ...options, topic: [wanted.topic] } : options;
    const replays = new ReplayLog();
    const letters = await keptLetters(admin, ctx, scoped, (letter) => isReferredTo(letter, wanted), replays);
    if (letters.length === 0) {
      throw new CliError(`no dead letter ${ref}`, EXIT.notFound, [
        'list them with `loyalty dlq list`; a position is the letter’s <dlq-topic>:<partition>:<offset>, e.g. points-earned.dlq:0:12, or the failed record’s <topic>:<partition>:<offset>, e.g. points-earned:2:17',
        'an older letter may be past the topic’s retention; widen or drop --since',
      ]);
    }
    if (options.json) {
      for (const letter of letters) {
        ctx.out(
          JSON.stringify({
            ...letter,
            replays: replays.of(letterPosition(letter), letterEventId(letter)),
            // `key` and `headers` show them as text; Buffers would print as arrays of numbers.
            rawKey: undefined,
            rawHeaders: undefined,
            value: letter.event ? undefined : (letter.value?.toString('base64') ?? null),
          }),
        );
      }
      return;
    }
    letters.forEach((letter, i) => {
      if (i > 0) ctx.out('');
      showLetter(letter, replays, ctx);
    });
  });
}

function numberOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`${option} "${value}" must be a whole number`, EXIT.usage);
  return n;
}

/** The selection as typed, for saying what matched nothing. */
function selectionText(options: ReplayOptions): string {
  const given: [string, string | undefined][] = [
    ['--topic', options.topic?.join(',')],
    ['--partition', options.partition],
    ['--from-offset', options.fromOffset],
    ['--to-offset', options.toOffset],
    ['--event-id', options.eventId?.join(',')],
    ['--reason', options.reason],
    ['--since', options.since],
  ];
  return given
    .filter(([, value]) => value !== undefined)
    .map(([option, value]) => `${option} ${value}`)
    .join(' ');
}

/**
 * A selection that matched nothing is a mistake to say, not an empty success: a mistyped event id or
 * reason would otherwise look like a replay that had nothing left to do.
 */
function nothingSelected(options: ReplayOptions, reasons: Map<string, number>): CliError {
  const found = [...reasons].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return new CliError(`no dead letter matches ${selectionText(options)}`, EXIT.notFound, [
    found.length > 0
      ? `the letters read have these reasons: ${found.map(([reason, n]) => `${reason} (${n})`).join(', ')}`
      : 'the dead-letter topics read hold no letters',
    'see them with `loyalty dlq list`, one with `loyalty dlq show <topic:partition:offset | event-id>`',
    'an older letter may be past the topic’s retention; widen or drop --since',
  ]);
}

/**
 * Whether the replay log exists, created if need be, before the first letter goes back: `listedBefore`
 * says whether the topics listed for the letters' read named it. Without it the replay still goes ahead
 * (an on-call user may write topics but not create them), unrecorded, as replays were before the log:
 * its letters hold back their keys' later letters in the next replay.
 */
async function openReplayLog(admin: Admin, ctx: CommandContext, listedBefore: boolean): Promise<boolean> {
  if (listedBefore) return true;
  const spec = replayLogTopicSpec(ctx.connection.prefix);
  const unrecorded = (why: string) => {
    ctx.err(
      ctx.paint.yellow(
        `warning: the replay log ${spec.topic} ${why}; the letters replayed now are not recorded, so they hold back the later letters of their keys in the next replay`,
      ),
    );
    return false;
  };
  try {
    // Not kafkajs's own wait for leaders (its default): it fails as soon as the broker does not show the
    // topic yet, and a busy broker can take a while to show one it has just made. One that exists already
    // (another replay made it at the same moment) is no error.
    await admin.createTopics({ waitForLeaders: false, topics: [spec] });
  } catch (error) {
    return unrecorded(`could not be created (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    if (await hasLeader(admin, spec.topic, REPLAY_LOG_READY_WITHIN_MS)) return true;
  } catch (error) {
    return unrecorded(
      `was created but could not be described (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return unrecorded(`was created but had no leader within ${REPLAY_LOG_READY_WITHIN_MS / 1000} s`);
}

const REPLAY_LOG_READY_WITHIN_MS = 30_000;

/**
 * Whether every partition of `topic` has a leader within `withinMs`, asked every 200 ms. A broker that
 * does not show the new topic yet answers with a transient error; any other (no right to describe the
 * topic, say) would not change by waiting, so it is thrown at once.
 */
async function hasLeader(admin: Admin, topic: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const partitions = await admin
      .fetchTopicMetadata({ topics: [topic] })
      .then(({ topics }) => topics[0]?.partitions ?? [])
      .catch((error: unknown) => {
        if (isTransientBrokerAnswer(error)) return [];
        throw error;
      });
    if (partitions.length > 0 && partitions.every((partition) => partition.leader >= 0)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Records a letter as put back. Unrecorded, it only holds back the later letters of its key in the next
 * replay, as before this replay, so a failure here is said and the replay goes on.
 */
async function recordReplay(producer: Producer, ctx: CommandContext, entry: ReplayEntry): Promise<void> {
  try {
    await producer.send({
      topic: replayLogTopic(ctx.connection.prefix),
      acks: -1,
      messages: [replayEntryMessage(entry)],
    });
  } catch (error) {
    ctx.err(
      ctx.paint.yellow(
        `warning: ${entry.letter} is replayed but could not be recorded as replayed (${error instanceof Error ? error.message : String(error)}); until it is replayed again, it holds back the later letters of its key`,
      ),
    );
  }
}

export async function dlqReplayCommand(options: ReplayOptions, ctx: CommandContext): Promise<void> {
  const selection: LetterSelection = {
    partition: numberOption(options.partition, '--partition'),
    fromOffset: numberOption(options.fromOffset, '--from-offset'),
    toOffset: numberOption(options.toOffset, '--to-offset'),
    eventIds: options.eventId,
    reason: options.reason,
    since: options.since === undefined ? undefined : parseTimePoint(options.since, '--since'),
  };
  const byOffset = selection.fromOffset !== undefined || selection.toOffset !== undefined;
  // An offset means something only in one partition of one topic: alone it would select that offset in
  // every partition of every dead-letter topic.
  if (byOffset && (options.topic?.length !== 1 || selection.partition === undefined)) {
    throw new CliError(
      '--from-offset and --to-offset need exactly one --topic and a --partition',
      EXIT.usage,
      ['e.g. loyalty dlq replay --topic points-earned.dlq --partition 2 --from-offset 17 --to-offset 17'],
    );
  }
  const { fromOffset, toOffset } = selection;
  if (fromOffset !== undefined && toOffset !== undefined && fromOffset > toOffset) {
    throw new CliError(
      `--from-offset ${fromOffset} is after --to-offset ${toOffset}: the range holds no offset`,
      EXIT.usage,
      ['the range is inclusive and runs forward, e.g. --from-offset 10 --to-offset 20'],
    );
  }
  const selective = byOffset || selection.eventIds?.length || selection.reason;
  if (!selective && !options.all) {
    throw new CliError('say which dead letters to replay', EXIT.usage, [
      'select with --event-id <id...>, --reason <REASON>, or --from-offset/--to-offset (with --topic, --partition)',
      'or replay every letter of the chosen topics with --all; try --dry-run first',
    ]);
  }
  await withAdmin(ctx.connection, async (admin) => {
    // Only counted, not kept: what a selection could have named, should it match nothing.
    const reasons = new Map<string, number>();
    const read: ReadLetter[] = [];
    const replays = new ReplayLog();
    let selectedCount = 0;
    // From the beginning whatever --since says: a key's letters before it still hold back its later ones.
    const { replayLogExists } = await readLetters(
      admin,
      ctx,
      options,
      'beginning',
      (letter) => {
        const reason = letterReason(letter);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        const selected = selectsLetter(letter, selection) ? letter : undefined;
        if (selected) selectedCount++;
        read.push({ outline: outlineLetter(letter), selected });
      },
      replays,
    );
    if (selective && selectedCount === 0) throw nothingSelected(options, reasons);
    for (const warning of lostOrigins(read)) ctx.err(ctx.paint.yellow(`warning: ${warning}`));
    const at = new Date();
    const plan = planReplay(read, at, replays);
    const producer = options.dryRun
      ? undefined
      : kafkaClient(ctx.connection).producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
        });
    // Ctrl-C stops between two letters: each sent letter is reported, and the summary says how far it got.
    let interrupted = false;
    void ctx.stopped.then(() => (interrupted = true));
    try {
      const recording = producer !== undefined && (await openReplayLog(admin, ctx, replayLogExists));
      const by = operatingUser();
      await producer?.connect();
      let replayed = 0;
      let failed = 0;
      // Order key -> the letter that failed to send: the later letters of its key wait for it.
      const held = new Map<string, string>();
      for (const step of plan) {
        if (interrupted) break;
        const { letter } = step;
        const from = letterPosition(letter);
        const skip = (why: string) => ctx.err(ctx.paint.yellow(`skipped ${from}: ${why}`));
        if ('skipped' in step) {
          skip(step.skipped);
          continue;
        }
        const key = orderKey(letter);
        const earlier = key && held.get(key);
        if (earlier) {
          skip(heldBehind(earlier));
          continue;
        }
        const { message } = step;
        const eventId = letterEventId(letter) ?? 'no event id';
        if (producer) {
          let copy: RecordMetadata | undefined;
          try {
            [copy] = await producer.send({
              topic: message.topic,
              acks: -1,
              // Letters are written gzipped because the sender may have compressed: some fit no other way.
              compression: CompressionTypes.GZIP,
              messages: [{ key: message.key, value: message.value, headers: message.headers }],
            });
          } catch (error) {
            // An unreachable broker fails every letter alike; one letter refused should not stop the rest.
            const explained = explainKafkaError(error, ctx.connection);
            if (explained instanceof CliError) throw explained;
            failed++;
            if (key) held.set(key, from);
            ctx.err(
              ctx.paint.red(
                `failed ${from} (${eventId}) -> ${message.topic}: ${error instanceof Error ? error.message : String(error)}`,
              ),
            );
            continue;
          }
          if (recording)
            await recordReplay(producer, ctx, {
              letter: from,
              eventId: letterEventId(letter),
              copy: `${message.topic}:${copy?.partition ?? '?'}:${copy?.baseOffset ?? '?'}`,
              replayedAt: at.toISOString(),
              by,
            });
        }
        replayed++;
        ctx.out(`${options.dryRun ? 'would replay' : 'replayed'} ${from} (${eventId}) -> ${message.topic}`);
      }
      ctx.out(
        ctx.paint.bold(
          `${options.dryRun ? 'dry run: would replay' : 'replayed'} ${replayed} of ${selectedCount} selected dead letter(s)`,
        ),
      );
      if (interrupted) {
        throw new CliError(
          `stopped by Ctrl-C after ${replayed} of ${selectedCount} dead letter(s)`,
          EXIT.interrupted,
          [
            'the letters replayed are listed above; replay the rest by --event-id, or run again with --dry-run to see them',
          ],
        );
      }
      if (failed > 0) {
        throw new CliError(`${failed} dead letter(s) could not be replayed`, EXIT.failure, [
          'each failure is printed above with the broker’s reason; fix it and replay those letters, with the ones of their keys skipped after them, by --event-id',
        ]);
      }
    } catch (error) {
      throw explainKafkaError(error, ctx.connection);
    } finally {
      await producer?.disconnect().catch(() => undefined);
    }
  });
}
