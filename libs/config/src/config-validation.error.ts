/** One variable that failed validation; `received` is already masked and safe to print. */
export interface ConfigIssue {
  variable: string;
  reasons: string[];
  /** The value as set in the environment (masked), or undefined when it was not set. */
  received?: string;
  /** True when the value came from the class's default rather than the environment. */
  fromDefault?: boolean;
}

export const CONFIG_INVALID = 'CONFIG_INVALID';

/**
 * Thrown by `loadConfig` when the environment does not describe a valid configuration. The message
 * names every bad variable with the reason, so start-up stops with an actionable line.
 */
export class ConfigValidationError extends Error {
  readonly code = CONFIG_INVALID;

  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map(describeIssue).join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

function describeIssue(issue: ConfigIssue): string {
  const reason = issue.reasons.join(', and ');
  if (issue.received === undefined) return `${reason} (not set)`;
  const source = issue.fromDefault ? 'default' : 'got';
  return `${reason} (${source} "${issue.received}")`;
}
