/** Exit codes: sysexits-style, so scripts can tell a typo from an outage. */
export const EXIT = {
  failure: 1,
  usage: 2,
  notFound: 3,
  unavailable: 69,
  /** Ctrl-C before the work was done, as a shell reports a process stopped by SIGINT. */
  interrupted: 130,
} as const;

/** An error meant for the on-call engineer: what went wrong, and what to try next. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    readonly hints: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
