import { EVENT_TYPES, isEventType } from '@loyalty/contracts';
import { CliError, EXIT } from '../errors';
import type { CommandContext } from '../context';
import { closeMatches } from '../lib/close-matches';
import { parseTimePoint } from '../lib/duration';
import { AbsentPaths, filterPaths } from '../lib/absent-paths';
import { filterSubject, matchesEventFilter, type EventFilter } from '../lib/event-record';
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

/** `-t` types, or a usage error for one that is no event type: it would match nothing, for ever. */
function checkTypes(types: string[] | undefined): string[] | undefined {
  for (const type of types ?? []) {
    if (isEventType(type)) continue;
    const matches = closeMatches(type, EVENT_TYPES);
    throw new CliError(`unknown event type "${type}"`, EXIT.usage, [
      matches.length > 0 ? `did you mean: ${matches.join(', ')}?` : 'no event type has a similar name',
      'an event type is named like its topic, without the prefix: -t stay-recorded',
    ]);
  }
  return types;
}

/**
 * `--until` in epoch milliseconds, after the window's start and not after now. An end before the start
 * leaves nothing to print; one in the future would not wait for it: no record is that recent, so Kafka
 * finds no offset for it and the scan stops at the current end.
 */
function windowEnd(
  until: string,
  since: string | undefined,
  from: number | 'beginning' | 'end',
  now: number,
): number {
  const end = parseTimePoint(until, '--until', now);
  const at = (time: number) => new Date(time).toISOString();
  if (typeof from === 'number' && end <= from) {
    throw new CliError(
      `--until ${until} (${at(end)}) is not after --since ${since} (${at(from)}): the window is empty`,
      EXIT.usage,
      ['durations count back from now, so the larger one is the start: --since 1h --until 10m'],
    );
  }
  if (end > now) {
    throw new CliError(
      `--until ${until} (${at(end)}) is in the future: a window ends now at the latest`,
      EXIT.usage,
      [
        'to print events as they arrive, leave out --until (follow mode; Ctrl-C to stop)',
        'to stop at the current end, use --exit instead',
      ],
    );
  }
  return end;
}

export async function tailCommand(
  topics: string[],
  options: TailOptions,
  ctx: CommandContext,
): Promise<void> {
  const filter: EventFilter = {
    types: checkTypes(options.type),
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
  if (options.fromBeginning && options.since) {
    throw new CliError('--from-beginning and --since both say where to start: give one', EXIT.usage, [
      'e.g. loyalty tail stay-recorded --since 1h, or loyalty tail stay-recorded --from-beginning --exit',
    ]);
  }
  const now = Date.now();
  const from = options.fromBeginning
    ? 'beginning'
    : options.since
      ? parseTimePoint(options.since, '--since', now)
      : 'end';
  const until = options.until
    ? windowEnd(options.until, options.since, from, now)
    : options.exit
      ? 'end'
      : 'never';
  const max = options.max === undefined ? Infinity : Number(options.max);
  if (!(max > 0)) throw new CliError(`--max "${options.max}" must be a positive number`, EXIT.usage);
  let shown = 0;
  const absentPaths = filter.where && new AbsentPaths(filterPaths(filter.where));
  await withAdmin(ctx.connection, async (admin) => {
    const resolved = resolveTopics(await admin.listTopics(), topics, ctx.connection.prefix);
    const { interrupted } = await scanTopics(ctx.connection, admin, {
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
        if (absentPaths && !absentPaths.allFound) absentPaths.see(filterSubject(record));
        if (!matchesEventFilter(record, filter)) return;
        ctx.out(
          options.json
            ? JSON.stringify(eventJson(record, options))
            : formatEventLine(record, ctx.paint, options),
        );
        shown++;
        const more = shown < max;
        const drained = ctx.outDrained();
        return drained ? drained.then(() => more) : more;
      },
    });
    for (const warning of absentPaths ? absentPaths.warnings() : []) ctx.err(ctx.paint.yellow(warning));
    // Following ends only by Ctrl-C; a window cut short is not the window asked for, as `dlq` and `trace` say.
    if (interrupted && until !== 'never') {
      throw new CliError(
        `interrupted after ${shown} event(s), before the end of the window`,
        EXIT.interrupted,
      );
    }
  });
}
