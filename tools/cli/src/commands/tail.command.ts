import { CliError, EXIT } from '../errors';
import type { CommandContext } from '../context';
import { parseTimePoint } from '../lib/duration';
import { matchesEventFilter, type EventFilter } from '../lib/event-record';
import { FilterSyntaxError, parseFilter } from '../lib/filter-expression';
import { eventJson, formatEventLine } from '../lib/format';
import { resolveTopics, withAdmin } from '../kafka';
import { scanTopics } from '../scan';

export interface TailOptions {
  type?: string[];
  guest?: string;
  property?: string;
  where?: string;
  json?: boolean;
  headers?: boolean;
  fromBeginning?: boolean;
  since?: string;
  until?: string;
  exit?: boolean;
  max?: string;
}

/** `--where` parsed, or a usage error that points at the position and says what was expected. */
export function parseWhere(expression: string | undefined): EventFilter['where'] {
  if (expression === undefined) return undefined;
  try {
    return parseFilter(expression);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    throw new CliError(`bad --where expression: ${error.message}\n${error.pointer()}`, EXIT.usage, [
      'paths read the event envelope: type, subject, propertyid, correlationid, data.<field>, headers["name"], key',
      'compare with == != < <= > >= ~= (contains), combine with && || ! and ( ), strings in "quotes"',
      'example: --where \'data.nights>=3 && data.channel=="ota"\'',
    ]);
  }
}

export async function tailCommand(
  topics: string[],
  options: TailOptions,
  ctx: CommandContext,
): Promise<void> {
  const filter: EventFilter = {
    types: options.type,
    guest: options.guest,
    property: options.property,
    where: parseWhere(options.where),
  };
  if (options.until && !options.since && !options.fromBeginning) {
    throw new CliError(
      '--until needs --since or --from-beginning: a tail from now has no past to end in',
      EXIT.usage,
      ['e.g. loyalty tail stay-recorded --since 1h --until 10m'],
    );
  }
  const now = Date.now();
  const from = options.fromBeginning
    ? 'beginning'
    : options.since
      ? parseTimePoint(options.since, '--since', now)
      : 'end';
  const until = options.until
    ? parseTimePoint(options.until, '--until', now)
    : options.exit
      ? 'end'
      : 'never';
  const max = options.max === undefined ? Infinity : Number(options.max);
  if (!(max > 0)) throw new CliError(`--max "${options.max}" must be a positive number`, EXIT.usage);
  let shown = 0;
  await withAdmin(ctx.connection, async (admin) => {
    const resolved = await resolveTopics(admin, topics, ctx.connection.prefix);
    await scanTopics(ctx.connection, admin, {
      topics: resolved,
      from,
      until,
      command: 'tail',
      stopped: ctx.stopped,
      onReady: (groupId) =>
        ctx.err(
          ctx.paint.dim(
            `tailing ${resolved.join(', ')}${until === 'never' ? ' (Ctrl-C to stop)' : ''}; throw-away group ${groupId}, no commits, deleted on exit`,
          ),
        ),
      onRecord: (record) => {
        if (!matchesEventFilter(record, filter)) return;
        ctx.out(
          options.json
            ? JSON.stringify(eventJson(record, options))
            : formatEventLine(record, ctx.paint, options),
        );
        shown++;
        return shown < max;
      },
    });
  });
}
