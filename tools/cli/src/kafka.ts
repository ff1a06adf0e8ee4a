import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';
import { askAgainWhileTransient, registerCompressionCodecs } from '@loyalty/messaging/broker';
import { CLI_GROUP_PREFIX } from '@loyalty/observability/group-assignments';
import { closeMatches } from './lib/close-matches';
import type { Connection } from './connection';
import { CliError, EXIT } from './errors';

export function cliGroupId(command: string): string {
  return `${CLI_GROUP_PREFIX}${command}-${randomBytes(6).toString('hex')}`;
}

export function kafkaClient({ settings }: Connection): Kafka {
  // A topic's letters may be Snappy-, LZ4- or zstd-compressed, which kafkajs cannot read by itself.
  registerCompressionCodecs();
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl === false ? undefined : settings.ssl,
    sasl: settings.sasl as SASLOptions | undefined,
    logLevel: logLevel.NOTHING,
    // An on-call tool should say "unreachable" in seconds, not retry for a minute.
    connectionTimeout: 3_000,
    requestTimeout: 15_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
  });
}

function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (
    let current: unknown = error;
    current instanceof Error && parts.length < 5;
    current = (current as { cause?: unknown }).cause
  ) {
    parts.push(`${current.name}: ${current.message}`);
  }
  return parts.join(' <- ') || String(error);
}

/** Turns kafkajs connection and authentication failures into errors that say what to try. */
export function explainKafkaError(error: unknown, connection: Connection): unknown {
  if (error instanceof CliError) return error;
  const chain = errorChain(error);
  const brokers = connection.settings.brokers.join(', ');
  if (/SASL|Authentication/i.test(chain)) {
    return new CliError(`Kafka at ${brokers} refused the credentials: ${chain}`, EXIT.unavailable, [
      'check --sasl-mechanism/--sasl-username/--sasl-password (or KAFKA_SASL_*)',
    ]);
  }
  if (/AUTHORIZATION_FAILED|Not authorized/i.test(chain)) {
    return new CliError(`Kafka at ${brokers} refused this user: ${chain}`, EXIT.failure, [
      'the CLI needs Describe and Read on the topics, Read and Delete on the groups loyalty-cli-*, Describe on consumer groups, and Write on the topics it replays to',
    ]);
  }
  // Unreachable only when a connection failed: a retried request refused by a reachable broker (an unknown
  // topic, too few replicas) is the broker's answer, not an outage.
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|KafkaJSConnectionError|Closed connection|Connection timeout/i.test(
      chain,
    )
  ) {
    return new CliError(`cannot reach Kafka at ${brokers} (${chain})`, EXIT.unavailable, [
      'local broker: start it with `bash infra/local up`',
      'another cluster: check --brokers (or KAFKA_BROKERS), and --ssl/--ssl-ca-file and --sasl-* if it needs TLS or SASL',
    ]);
  }
  return error;
}

/** Runs `work` with a connected admin client, mapping connection failures to helpful errors. */
export async function withAdmin<T>(connection: Connection, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(connection).admin();
  try {
    await admin.connect();
    return await work(admin);
  } catch (error) {
    throw explainKafkaError(error, connection);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Each partition's low and high offsets. Asked again while the broker's answer is transient: a topic just
 * created, or a leader moving, can leave a partition without a known leader for a moment.
 */
export function topicOffsets(admin: Admin, topic: string): ReturnType<Admin['fetchTopicOffsets']> {
  return askAgainWhileTransient(() => admin.fetchTopicOffsets(topic));
}

/**
 * Topic names as typed → real topics: `points-earned` means `<prefix>points-earned`, and a name typed
 * with the prefix means itself. Never a topic outside the prefix: a bare `points-earned.dlq` there is
 * another environment's (production's, with no prefix), and replaying its letters would write to it.
 * An unknown name fails with the closest of the `listed` topics (the broker's `listTopics`).
 */
export function resolveTopics(listed: readonly string[], names: string[], prefix: string): string[] {
  const existing = listed.filter((topic) => !topic.startsWith('__'));
  const set = new Set(existing);
  return names.map((name) => {
    if (set.has(`${prefix}${name}`)) return `${prefix}${name}`;
    if (name.startsWith(prefix) && set.has(name)) return name;
    const visible = existing
      .filter((topic) => topic.startsWith(prefix))
      .map((topic) => topic.slice(prefix.length));
    const matches = closeMatches(name, visible);
    throw new CliError(`unknown topic "${name}"${prefix ? ` (prefix "${prefix}")` : ''}`, EXIT.notFound, [
      matches.length > 0 ? `did you mean: ${matches.join(', ')}?` : 'no topic has a similar name',
      ...(set.has(name)
        ? [
            `"${name}" exists outside the prefix, as another environment's; to read it, say so with --prefix ''`,
          ]
        : []),
      'list the topics with `loyalty topics`; check --prefix (or KAFKA_TOPIC_PREFIX)',
    ]);
  });
}

/**
 * Deletes a CLI group. It may never have been created (nothing to read), and right after the member
 * left the broker may still call it non-empty for a moment: retry briefly rather than leave it behind.
 */
export async function deleteGroupQuietly(admin: Admin, groupId: string): Promise<void> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    try {
      await admin.deleteGroups([groupId]);
      return;
    } catch (error) {
      const text = errorChain(error) + JSON.stringify((error as { groups?: unknown }).groups ?? '');
      if (/GROUP_ID_NOT_FOUND|does not exist|not found/i.test(text)) return;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
