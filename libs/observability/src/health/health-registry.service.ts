import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { maskUrlCredentials } from '@loyalty/config';
import { withinMs } from '@loyalty/time';

/** A readiness probe: resolves when the dependency is usable, rejects (or hangs) when it is not. */
export type HealthCheck = () => Promise<void>;

export type CheckResult =
  { status: 'up'; latencyMs: number } | { status: 'down'; latencyMs: number; error: string };

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: Record<string, CheckResult>;
}

export type LivenessReport = { status: 'ok' } | { status: 'error'; failures: string[] };

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;
const MAX_ERROR_LENGTH = 200;

/**
 * Where modules register the readiness checks of their dependencies (Postgres, Kafka, Redis...).
 * Readiness fails while the app is shutting down, so the load balancer stops sending traffic first.
 */
@Injectable()
export class HealthRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly livenessFailures = new Set<string>();
  private readonly livenessListeners: ((reason: string) => void)[] = [];
  private shuttingDown = false;

  /**
   * Fails liveness for good: the process is broken in a way only a restart mends (a consumer that stopped
   * reading). Readiness checks are for dependencies, which a restart would not help.
   */
  failLiveness(reason: string): void {
    const first = this.livenessFailures.size === 0;
    this.livenessFailures.add(reason);
    if (first) for (const listener of this.livenessListeners) listener(reason);
  }

  /** Calls `listener` once, with the reason, when liveness first fails (at once if it failed already). */
  onLivenessFailed(listener: (reason: string) => void): void {
    const [failedAlready] = this.livenessFailures;
    if (failedAlready !== undefined) listener(failedAlready);
    else this.livenessListeners.push(listener);
  }

  liveness(): LivenessReport {
    return this.livenessFailures.size === 0
      ? { status: 'ok' }
      : { status: 'error', failures: [...this.livenessFailures] };
  }

  /** Registers `check` under `name`; a second registration under the same name replaces the first. */
  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  /** Runs every check concurrently, each bounded by `timeoutMs`. */
  async check(timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
    );
    const checks: Record<string, CheckResult> = Object.fromEntries(entries);
    if (this.shuttingDown)
      checks.shutdown = { status: 'down', latencyMs: 0, error: 'the service is shutting down' };
    const healthy = Object.values(checks).every((result) => result.status === 'up');
    return { status: healthy ? 'ok' : 'error', checks };
  }

  /**
   * Fails readiness at once, then waits `drainMs` while the app still serves, so a load balancer polling
   * /health/ready sees the 503 and stops routing here before the HTTP server closes.
   */
  async drain(drainMs: number): Promise<void> {
    this.shuttingDown = true;
    if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    // `Promise.resolve().then` so a check that throws synchronously is reported as down, not a 500.
    await withinMs(Promise.resolve().then(check), timeoutMs, `timed out after ${timeoutMs} ms`);
    return { status: 'up', latencyMs: elapsed() };
  } catch (error) {
    return { status: 'down', latencyMs: elapsed(), error: describe(error) };
  }
}

// The readiness endpoint is public: keep driver errors short and without credentials.
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const safe = maskUrlCredentials(message.replace(/\s+/g, ' ').trim()) || 'check failed';
  return safe.length > MAX_ERROR_LENGTH ? `${safe.slice(0, MAX_ERROR_LENGTH - 1)}…` : safe;
}
