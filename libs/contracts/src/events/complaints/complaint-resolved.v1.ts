import { Bool, Instant, OneOf, Text } from '../../common/decorators';
import { ComplaintFields } from './complaint.fields';

export const RESOLUTIONS = [
  'apology',
  'service-recovery',
  'compensation',
  'refund',
  'no-fault-found',
] as const;

/** Staff resolved the complaint; the guest may still reopen it until it is closed. */
export class ComplaintResolvedV1 extends ComplaintFields {
  /** What was done about it. */
  @OneOf(RESOLUTIONS)
  resolution: (typeof RESOLUTIONS)[number];

  /** Opaque id of the staff member. */
  @Text(100)
  resolvedBy: string;

  /** When it was resolved. */
  @Instant()
  resolvedAt: string;

  /** Whether it was resolved before the SLA's `resolveBy`. */
  @Bool()
  withinSla: boolean;
}
