import type { Tier } from '@loyalty/contracts';
import type { ComplaintCategory, Severity } from './categories';

/** Targets for one kind of complaint; the first policy whose every condition matches applies. */
export interface SlaPolicy {
  id: string;
  /** Conditions; a missing one matches anything. */
  when: { severities?: Severity[]; tiers?: Tier[]; categories?: ComplaintCategory[] };
  acknowledgeWithinMinutes: number;
  resolveWithinMinutes: number;
  /** Count only the property's business hours (when it has a calendar); urgent cases run round the clock. */
  businessHours: boolean;
}

export interface SlaSubject {
  severity: Severity;
  tier: Tier;
  category: ComplaintCategory;
}

const HOUR = 60;
const DAY = 24 * HOUR;

/** Applies when no policy matches. */
export const FALLBACK_SLA_POLICY: SlaPolicy = {
  id: 'default',
  when: {},
  acknowledgeWithinMinutes: 4 * HOUR,
  resolveWithinMinutes: 3 * DAY,
  businessHours: true,
};

export const DEFAULT_SLA_POLICIES: SlaPolicy[] = [
  {
    id: 'critical',
    when: { severities: ['critical'] },
    acknowledgeWithinMinutes: 15,
    resolveWithinMinutes: 4 * HOUR,
    businessHours: false,
  },
  {
    id: 'high-top-tier',
    when: { severities: ['high'], tiers: ['platinum', 'titanium'] },
    acknowledgeWithinMinutes: 30,
    resolveWithinMinutes: 12 * HOUR,
    businessHours: false,
  },
  {
    id: 'high',
    when: { severities: ['high'] },
    acknowledgeWithinMinutes: HOUR,
    resolveWithinMinutes: DAY,
    businessHours: false,
  },
  // Noise is happening while the guest is in the room: answer it the same night whatever the severity.
  {
    id: 'noise',
    when: { categories: ['noise'] },
    acknowledgeWithinMinutes: 30,
    resolveWithinMinutes: 12 * HOUR,
    businessHours: false,
  },
  {
    id: 'medium',
    when: { severities: ['medium'] },
    acknowledgeWithinMinutes: 4 * HOUR,
    resolveWithinMinutes: 3 * DAY,
    businessHours: true,
  },
  {
    id: 'low',
    when: { severities: ['low'] },
    acknowledgeWithinMinutes: DAY,
    resolveWithinMinutes: 7 * DAY,
    businessHours: true,
  },
];

export function choosePolicy(policies: readonly SlaPolicy[], subject: SlaSubject): SlaPolicy {
  return policies.find((policy) => matches(policy, subject)) ?? FALLBACK_SLA_POLICY;
}

function matches({ when }: SlaPolicy, subject: SlaSubject): boolean {
  return (
    (when.severities?.includes(subject.severity) ?? true) &&
    (when.tiers?.includes(subject.tier) ?? true) &&
    (when.categories?.includes(subject.category) ?? true)
  );
}

/** The policy a complaint was opened under (the default if that policy is gone). */
export function policyById(id: string, policies: readonly SlaPolicy[] = DEFAULT_SLA_POLICIES): SlaPolicy {
  return policies.find((policy) => policy.id === id) ?? FALLBACK_SLA_POLICY;
}
