import { SERVICE_NAMES, type ServiceName } from '@loyalty/contracts';

/** Every service of the platform, in the order bench:e2e starts them: the ingress, then the event services. */
export const ALL_SERVICES = ['ingress', ...SERVICE_NAMES] as const;

export type BenchService = 'ingress' | ServiceName;

// The hops the latency is timed across. The others only consume every recorded stay, so leaving them
// out measures what that reading costs the chain.
const TIMED_SERVICES: readonly BenchService[] = ['ingress', 'profiles', 'points-ledger'];

/** BENCH_SERVICES: a comma-separated subset of the services, started in their usual order; all when unset. */
export function servicesToRun(list: string | undefined): BenchService[] {
  const names = (list ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!names.length) return [...ALL_SERVICES];
  const unknown = names.filter((name) => !(ALL_SERVICES as readonly string[]).includes(name));
  if (unknown.length)
    throw new Error(
      `BENCH_SERVICES names ${unknown.join(', ')}; the services are ${ALL_SERVICES.join(', ')}`,
    );
  const missing = TIMED_SERVICES.filter((service) => !names.includes(service));
  if (missing.length)
    throw new Error(`BENCH_SERVICES leaves out ${missing.join(', ')}, which the latency is timed across`);
  return ALL_SERVICES.filter((service) => names.includes(service));
}
