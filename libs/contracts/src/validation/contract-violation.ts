/** Why an event broke its contract; a string, so it can go into a dead letter's reason header as is. */
export const ContractViolationCode = {
  /** The bytes are not JSON (see `parseEventBytes`). */
  NOT_JSON: 'NOT_JSON',
  /** Not a CloudEvents envelope the platform accepts, or the envelope disagrees with its payload. */
  INVALID_ENVELOPE: 'INVALID_ENVELOPE',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  /** A known type, but not a version of it the contracts know. */
  UNKNOWN_VERSION: 'UNKNOWN_VERSION',
  /** `data` does not satisfy the DTO of its type and version. */
  INVALID_DATA: 'INVALID_DATA',
  /** A valid event of another type than the caller expected (e.g. on the wrong topic). */
  UNEXPECTED_TYPE: 'UNEXPECTED_TYPE',
} as const;
export type ContractViolationCode = (typeof ContractViolationCode)[keyof typeof ContractViolationCode];

export interface ContractIssue {
  /** Dotted path from the envelope, e.g. `data.revenue.room.amountMinor` or `data.dimensions[0].score`. */
  path: string;
  /** Completes the path into a sentence: `must be a positive integer`, `is required`, `is not allowed`. */
  reason: string;
}

const MAX_ISSUES_IN_MESSAGE = 10;

/** An event broke its contract. `code` and `message` are what a dead letter records as its reason. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';

  constructor(
    readonly code: ContractViolationCode,
    summary: string,
    readonly issues: readonly ContractIssue[],
    /** What is known of the offending event, for logs and dead-letter headers. */
    readonly event: { id?: string; type?: string; dataversion?: string } = {},
  ) {
    super(`${summary}: ${describeIssues(issues)}`);
  }
}

function describeIssues(issues: readonly ContractIssue[]): string {
  const listed = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map(({ path, reason }) => (path ? `${path} ${reason}` : reason));
  const more = issues.length - listed.length;
  return more > 0 ? `${listed.join('; ')}; and ${more} more` : listed.join('; ');
}
