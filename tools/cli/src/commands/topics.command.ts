import { ConfigResourceTypes } from 'kafkajs';
import type { CommandContext } from '../context';
import { formatDuration } from '../lib/duration';
import { table } from '../lib/format';
import { isEnvironmentTopic } from '../lib/environment-topics';
import { replayLogTopic } from '../lib/replay-log';
import { topicOffsets, withAdmin } from '../kafka';

export interface TopicsOptions {
  json?: boolean;
  all?: boolean;
}

export interface TopicSummary {
  topic: string;
  partitions: number;
  messages: number;
  retentionMs?: number;
}

export async function topicsCommand(options: TopicsOptions, ctx: CommandContext): Promise<void> {
  await withAdmin(ctx.connection, async (admin) => {
    const { prefix } = ctx.connection;
    const names = (await admin.listTopics())
      .filter((t) => options.all || isEnvironmentTopic(t, prefix) || t === replayLogTopic(prefix))
      .sort();
    const summaries: TopicSummary[] = [];
    if (names.length > 0) {
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: names.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['retention.ms'],
        })),
      });
      const retention = new Map(
        configs.resources.map((r) => [
          r.resourceName,
          r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
        ]),
      );
      for (const topic of names) {
        const offsets = await topicOffsets(admin, topic);
        const value = retention.get(topic);
        summaries.push({
          topic,
          partitions: offsets.length,
          messages: offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0),
          retentionMs: value === undefined || value === null ? undefined : Number(value),
        });
      }
    }
    if (options.json) {
      ctx.out(JSON.stringify(summaries));
      return;
    }
    const retention = (ms?: number) => {
      if (ms === undefined) return '?';
      if (ms < 0) return 'forever';
      if (ms > 0 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
      if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
      return formatDuration(ms);
    };
    ctx.out(
      table(
        ['TOPIC', 'PARTITIONS', 'MESSAGES', 'RETENTION'],
        summaries.map((s) => [s.topic, s.partitions, s.messages, retention(s.retentionMs)]),
        ctx.paint,
      ),
    );
  });
}
