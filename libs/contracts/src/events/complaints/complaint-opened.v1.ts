import { Identifier, Instant, LaterThan, Nested, OneOf, Optional, Uuid } from '../../common/decorators';
import { StayReferenceDto } from '../../common/stay-reference.dto';
import { STAY_DIMENSIONS, type StayDimension } from '../../common/vocabulary';
import { ComplaintFields } from './complaint.fields';

export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const COMPLAINT_CHANNELS = ['front-desk', 'phone', 'email', 'web', 'app', 'social', 'survey'] as const;
/** The guest-relations taxonomy complaints are filed and reported under. */
export const COMPLAINT_CATEGORIES = [
  'service-attitude',
  'service-quality',
  'price-and-billing',
  'communication-and-information',
  'facilities-and-maintenance',
  'cleanliness',
  'noise',
  'other',
] as const;

/** The deadlines the complaint's SLA sets, fixed when it is opened. */
export class SlaDeadlinesDto {
  /** The guest must be told the complaint is being handled by then. */
  @Instant()
  acknowledgeBy: string;

  /** The complaint must be resolved by then. */
  @Instant()
  @LaterThan('acknowledgeBy', 'instant')
  resolveBy: string;
}

export class ComplaintOpenedV1 extends ComplaintFields {
  /** The property the complaint is about. */
  @Identifier()
  propertyId: string;

  /** The stay, when the complaint is about one the platform knows. */
  @Optional()
  @Nested(() => StayReferenceDto)
  stay?: StayReferenceDto;

  /** The aspect of the stay complained about. */
  @OneOf(STAY_DIMENSIONS)
  category: StayDimension;

  /** The complaint category staff filed it under (added after v1 first shipped, so optional). */
  @Optional()
  @OneOf(COMPLAINT_CATEGORIES)
  complaintCategory?: (typeof COMPLAINT_CATEGORIES)[number];

  /** How serious staff judged it; sets the SLA. */
  @OneOf(COMPLAINT_SEVERITIES)
  severity: (typeof COMPLAINT_SEVERITIES)[number];

  /** How the complaint reached the hotel; `survey` when opened from a detractor answer. */
  @OneOf(COMPLAINT_CHANNELS)
  channel: (typeof COMPLAINT_CHANNELS)[number];

  /** The survey that revealed it, when opened from `detractor-identified`. */
  @Optional()
  @Uuid()
  surveyId?: string;

  /**
   * When the complaint reached the hotel, and so when its SLA started: for one staff logged afterwards,
   * the time they stated; for a survey's, when the guest answered. It can be before the event's `time`.
   */
  @Instant()
  openedAt: string;

  /** The deadlines to acknowledge and to resolve it. */
  @Nested(() => SlaDeadlinesDto)
  sla: SlaDeadlinesDto;
}
