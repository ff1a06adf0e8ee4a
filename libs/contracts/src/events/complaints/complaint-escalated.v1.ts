import { Instant, IntBetween, OneOf, Optional } from '../../common/decorators';
import { ComplaintFields } from './complaint.fields';

export const ESCALATION_REASONS = ['sla-breached', 'severity', 'guest-request', 'manual'] as const;
export const SLA_TIMERS = ['acknowledgement', 'resolution'] as const;
export const ESCALATION_ROLES = ['property-manager', 'chain-admin'] as const;

/** The complaint moved up a level: duty manager (1), general manager (2), regional guest relations (3). */
export class ComplaintEscalatedV1 extends ComplaintFields {
  /** The level it is now at. */
  @IntBetween(1, 3)
  level: number;

  /** Why it was escalated. */
  @OneOf(ESCALATION_REASONS)
  reason: (typeof ESCALATION_REASONS)[number];

  /** The SLA timer that ran out, when the reason is `sla-breached`. */
  @Optional()
  @OneOf(SLA_TIMERS)
  breachedTimer?: (typeof SLA_TIMERS)[number];

  /** The role told about it: the complaint owner's manager. */
  @Optional()
  @OneOf(ESCALATION_ROLES)
  notifyRole?: (typeof ESCALATION_ROLES)[number];

  /** When it was escalated. */
  @Instant()
  escalatedAt: string;
}
