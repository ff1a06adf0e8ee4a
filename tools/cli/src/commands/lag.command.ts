import { assignedPartitions, CLI_GROUP_PREFIX } from '@loyalty/observability/group-assignments';
import type { Admin } from 'kafkajs';
import { CliError, EXIT } from '../errors';
import type { CommandContext } from '../context';
import { closeMatches } from '../lib/close-matches';
import { computeLag, type GroupLag } from '../lib/lag';
import { table } from '../lib/format';
import { topicOffsets, withAdmin } from '../kafka';

export interface LagOptions {
  watch?: string | boolean;
  json?: boolean;
}

/**
 * Committed offsets against log offsets for one group, on every partition of the topics it consumes:
 * `fetchOffsets` without topics answers only the committed partitions, so a partition that got its first
 * events while the group was down (or a group that never committed) would pass for caught up. While the
 * group has members, its topics are those they are assigned: a topic it left (moved to a lane, say) keeps
 * its old commits for days and would show as ever-growing lag. Without members, its committed topics.
 */
export async function groupLag(admin: Admin, group: string): Promise<GroupLag> {
  const assigned = await assignedPartitions(admin, [group]);
  const consumed = assigned.length > 0 ? new Set(assigned.map((p) => p.topic)) : undefined;
  const committed = await admin.fetchOffsets({ groupId: group });
  const rows = committed
    .filter(({ topic }) => !consumed || consumed.has(topic))
    .flatMap(({ topic, partitions }) =>
      partitions.map((p) => ({ topic, partition: p.partition, offset: p.offset })),
    );
  const topics = [...new Set([...rows, ...assigned].map((p) => p.topic))];
  const ends = (
    await Promise.all(
      topics.map(async (topic) =>
        (await topicOffsets(admin, topic)).map((p) => ({
          topic,
          partition: p.partition,
          high: p.high,
          low: p.low,
        })),
      ),
    )
  ).flat();
  return computeLag(group, rows, ends, ends);
}

/**
 * The groups to show: every group, or the one named with its lanes (`<group>.<types>`, a service's hot
 * topics consumed apart). A service's group is named with the topic prefix, so `profiles` finds
 * `<prefix>profiles` too.
 */
async function groupsToShow(admin: Admin, group: string | undefined, prefix: string): Promise<string[]> {
  const all = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((id) => !id.startsWith(CLI_GROUP_PREFIX));
  if (group === undefined) return all.sort();
  // The prefixed name first, as topics resolve: on a broker shared by environments the bare name is
  // another environment's group.
  const named = [`${prefix}${group}`, group].find((id) => all.includes(id));
  if (named === undefined) {
    const matches = closeMatches(group, all);
    throw new CliError(`unknown consumer group "${group}"`, EXIT.notFound, [
      matches.length > 0 ? `did you mean: ${matches.join(', ')}?` : 'no group has a similar name',
      'run `loyalty lag` without a group to see every group',
    ]);
  }
  return [named, ...all.filter((id) => id.startsWith(`${named}.`)).sort()];
}

function render(lags: GroupLag[], ctx: CommandContext, json: boolean): string {
  if (json) return JSON.stringify(lags);
  const rows = lags.flatMap((g) =>
    g.partitions.map((p) => [
      g.group,
      p.topic,
      p.partition,
      p.committed ?? '-',
      p.end,
      p.uncommitted ? `${p.lag} (no commit)` : p.lag,
    ]),
  );
  const lines = [
    table(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG'], rows, ctx.paint),
  ];
  for (const g of lags) {
    if (g.partitions.length === 0) {
      lines.push(
        ctx.paint.yellow(
          `${g.group} has no member and no committed offset: its lag is unknown until its service runs`,
        ),
      );
      continue;
    }
    const uncommitted = g.partitions.filter((p) => p.uncommitted).length;
    if (uncommitted > 0) {
      lines.push(
        ctx.paint.yellow(
          `${g.group} never committed on ${uncommitted} partition(s) of its topics: their lag counts from the log start`,
        ),
      );
    }
    const total = `total lag of ${g.group}: ${g.totalLag}`;
    lines.push(g.totalLag > 0 ? ctx.paint.yellow(total) : ctx.paint.green(total));
  }
  return lines.join('\n');
}

export async function lagCommand(
  group: string | undefined,
  options: LagOptions,
  ctx: CommandContext,
): Promise<void> {
  const every =
    options.watch === undefined || options.watch === false
      ? undefined
      : options.watch === true
        ? 5
        : Number(options.watch);
  if (every !== undefined && !(every > 0))
    throw new CliError(`--watch "${String(options.watch)}" must be a number of seconds`, EXIT.usage);
  await withAdmin(ctx.connection, async (admin) => {
    let stopped = false;
    void ctx.stopped.then(() => (stopped = true));
    for (;;) {
      const groups = await groupsToShow(admin, group, ctx.connection.prefix);
      const lags = await Promise.all(groups.map((g) => groupLag(admin, g)));
      // On a terminal, redraw in place; piped, print one snapshot after another.
      if (every !== undefined && !options.json && process.stdout.isTTY) ctx.out('\u001b[2J\u001b[H');
      if (every !== undefined && !options.json)
        ctx.out(ctx.paint.dim(`${new Date().toISOString()}  every ${every}s, Ctrl-C to stop`));
      ctx.out(render(lags, ctx, options.json ?? false));
      if (every === undefined || stopped) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise((resolve) => (timer = setTimeout(resolve, every * 1_000))),
        ctx.stopped,
      ]);
      // Stopped first, the wait would otherwise keep the process alive until it ran out.
      clearTimeout(timer);
      if (stopped) return;
    }
  });
}
