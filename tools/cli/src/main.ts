#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { connectionFrom, type ConnectionOptions } from './connection';
import type { CommandContext } from './context';
import { CliError, EXIT } from './errors';
import { lineOutput, type LineOutput } from './output';
import { palette, shouldColour } from './lib/colour';
import { dlqListCommand, dlqReplayCommand, dlqShowCommand } from './commands/dlq.command';
import { lagCommand } from './commands/lag.command';
import { tailCommand } from './commands/tail.command';
import { topicsCommand } from './commands/topics.command';
import { traceCommand } from './commands/trace.command';

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

interface GlobalOptions extends ConnectionOptions {
  color: boolean;
}

/** The `loyalty` program; `argv` and the streams are parameters so tests can run it in-process too. */
export function buildProgram(
  stopped: Promise<void>,
  output: { stdout: LineOutput; stderr: LineOutput },
): Command {
  const program = new Command('loyalty')
    .description('On-call tool for the loyalty platform’s event streams (Kafka).')
    .option('--brokers <host:port,...>', 'Kafka brokers (env KAFKA_BROKERS, default 127.0.0.1:9092)')
    .option('--prefix <prefix>', 'topic prefix (env KAFKA_TOPIC_PREFIX)')
    .option('--ssl', 'connect with TLS (env KAFKA_SSL=true)')
    .option('--ssl-ca-file <path>', 'CA certificate for TLS (env KAFKA_SSL_CA_FILE)')
    .addOption(
      new Option('--sasl-mechanism <mechanism>', 'SASL mechanism (env KAFKA_SASL_MECHANISM)').choices([
        'plain',
        'scram-sha-256',
        'scram-sha-512',
      ]),
    )
    .option('--sasl-username <name>', 'SASL user (env KAFKA_SASL_USERNAME)')
    .option(
      '--sasl-password <password>',
      'SASL password; prefer env KAFKA_SASL_PASSWORD, which stays out of shell history',
    )
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const context = (): CommandContext => {
    const globals = program.opts<GlobalOptions>();
    return {
      connection: connectionFrom(globals),
      paint: palette(shouldColour(process.stdout, process.env, globals.color)),
      out: output.stdout.write,
      err: output.stderr.write,
      outDrained: output.stdout.drained,
      stopped,
    };
  };

  program
    .command('tail')
    .description(
      'print events as they arrive (or a past window); never joins or moves a service’s consumer group',
    )
    .argument('<topic...>', 'topics, without the prefix (e.g. stay-recorded points-earned.dlq)')
    .option('--from-beginning', 'start at the oldest retained event')
    .option(
      '--since <when>',
      'start at a time: duration ago (15m, 2h, 1d), a date, or an ISO time with Z or an offset',
    )
    .option(
      '--until <when>',
      'stop at a time (duration ago, a date, or an ISO time with Z or an offset) instead of following',
    )
    .option('--exit', 'stop at the current end instead of following')
    .option('--max <n>', 'stop after n matching events')
    .option('-t, --type <types>', 'only these event types (repeatable, comma-separated)', collect)
    .option('-g, --guest <guestId>', 'only events about this guest (subject)')
    .option('-p, --property <propertyId>', 'only events of this property')
    .option(
      '-w, --where <expression>',
      'only events matching, e.g. \'data.nights>=3 && data.channel=="ota"\'',
    )
    .option('--json', 'one JSON object per line (NDJSON), for jq')
    .option('--headers', 'show correlation id, causation id, attempts and other key headers')
    .action((topics: string[], options) => tailCommand(topics, options, context()));

  const dlq = program
    .command('dlq')
    .description('dead letters: list by reason, show one, replay to the original topic');
  const dlqOptions = (command: Command) =>
    command
      .option(
        '--topic <topics>',
        'only these dead-letter topics (event topic or .dlq name; repeatable)',
        collect,
      )
      .option(
        '--since <when>',
        'only letters written since (duration ago, a date, or an ISO time with Z or an offset)',
      )
      .option('--json', 'JSON output');
  dlqOptions(
    dlq.command('list').description('dead letters grouped by reason, with counts and topics'),
  ).action((options) => dlqListCommand(options, context()));
  dlqOptions(
    dlq
      .command('show')
      .description('one dead letter in full: headers, reason, detail, value')
      .argument(
        '<letter>',
        '<dlq-topic>:<partition>:<offset>, the failed record’s <topic>:<partition>:<offset>, or an event id',
      ),
  ).action((ref: string, options) => dlqShowCommand(ref, options, context()));
  dlqOptions(
    dlq
      .command('replay')
      .description(
        'put selected dead letters back on their original topic (same key and value; consumers are idempotent)',
      )
      .option('--partition <n>', 'only this partition of the dead-letter topic')
      .option('--from-offset <n>', 'first offset to replay (inclusive)')
      .option('--to-offset <n>', 'last offset to replay (inclusive)')
      .option('--event-id <ids>', 'only these event ids (repeatable, comma-separated)', collect)
      .option('--reason <reason>', 'only letters with this dlq-reason, e.g. HANDLER_FAILED (any case)')
      .option('--all', 'every letter of the chosen topics')
      .option('--dry-run', 'print what would be replayed, send nothing'),
  ).action((options) => dlqReplayCommand(options, context()));

  program
    .command('lag')
    .description('committed offset, end offset and lag per partition of consumer groups, with totals')
    .argument('[group]', 'one consumer group (default: every group)')
    .option('--watch [seconds]', 'refresh every n seconds (default 5)')
    .option('--json', 'JSON output')
    .action((group: string | undefined, options) => lagCommand(group, options, context()));

  program
    .command('trace')
    .description('the chain of causes and effects of one event, across topics, as a tree with timings')
    .argument('<id>', 'an event id or a correlation id')
    .option(
      '--since <when>',
      'how far back to scan (duration, a date, or an ISO time with Z or an offset)',
      '24h',
    )
    .option('--json', 'JSON output')
    .action((id: string, options) => traceCommand(id, options, context()));

  program
    .command('topics')
    .description('topics with partitions, message counts and retention')
    .option('--all', 'also topics outside the prefix and internal ones')
    .option('--json', 'JSON output')
    .action((options) => topicsCommand(options, context()));

  return program;
}

function report(error: unknown): number {
  const paint = palette(shouldColour(process.stderr, process.env, !process.argv.includes('--no-color')));
  if (error instanceof CommanderError) {
    // Commander has printed the message and usage already.
    return error.exitCode === 0 ? 0 : EXIT.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`${paint.red('error:')} ${error.message}\n`);
    for (const hint of error.hints) process.stderr.write(`  ${paint.yellow('try:')} ${hint}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `${paint.red('error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failure;
}

export async function main(argv: string[]): Promise<number> {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  // The first Ctrl-C stops cleanly (throw-away group deleted); a second one exits at once.
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(130);
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const output = {
    stdout: lineOutput(process.stdout, stop, stopped),
    stderr: lineOutput(process.stderr, stop, stopped),
  };
  try {
    await buildProgram(stopped, output).parseAsync(argv);
    return 0;
  } catch (error) {
    return report(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
