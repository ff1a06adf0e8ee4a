import { CliError, EXIT } from '../errors';
import type { CommandContext } from '../context';
import { parseTimePoint } from '../lib/duration';
import {
  buildTraceTree,
  renderTraceTree,
  selectChain,
  traceJson,
  traceRecord,
  type TraceRecord,
} from '../lib/trace-tree';
import { isEnvironmentTopic } from '../lib/environment-topics';
import { withAdmin } from '../kafka';
import { scanTopics } from '../scan';

export interface TraceOptions {
  since?: string;
  json?: boolean;
}

/**
 * Scans every topic of the prefix (events and dead letters) over `--since` (default 24h) for the
 * chain of `id` (an event id or a correlation id), then prints it as a cause → effect tree.
 */
export async function traceCommand(id: string, options: TraceOptions, ctx: CommandContext): Promise<void> {
  const since = parseTimePoint(options.since ?? '24h', '--since');
  await withAdmin(ctx.connection, async (admin) => {
    const { prefix } = ctx.connection;
    const topics = (await admin.listTopics()).filter((t) => isEnvironmentTopic(t, prefix));
    const candidates: TraceRecord[] = [];
    const { interrupted } = await scanTopics(ctx.connection, admin, {
      topics,
      from: since,
      until: 'end',
      command: 'trace',
      // Only events that name some id are worth keeping, and only what the trace shows of them (a
      // window can hold millions); the chain is chosen once all are read.
      onRecord: (record) => {
        if (record.event?.id) candidates.push(traceRecord(record));
      },
      stopped: ctx.stopped,
    });
    // A chain from part of the topics would look complete and be wrong.
    if (interrupted) throw new CliError('interrupted before every topic was read', EXIT.interrupted);
    const chain = selectChain(candidates, id);
    if (chain.length === 0) {
      throw new CliError(
        `no event with id or correlation id "${id}" since ${new Date(since).toISOString()}`,
        EXIT.notFound,
        ['widen the scan with --since (e.g. --since 7d), or check --prefix'],
      );
    }
    const roots = buildTraceTree(chain);
    ctx.out(options.json ? JSON.stringify(roots.map(traceJson)) : renderTraceTree(roots, ctx.paint, id));
  });
}
