import { Instant, Nested, NumberBetween, Uuid } from '../../common/decorators';
import { StayReferenceDto } from '../../common/stay-reference.dto';

/** A guest flagged by `visit-frequency-dropped` stayed again. */
export class VisitFrequencyRestoredV1 {
  /** The guest who came back. */
  @Uuid()
  guestId: string;

  /** The stay that restored the pattern. */
  @Nested(() => StayReferenceDto)
  stay: StayReferenceDto;

  /** Model estimate after the stay, 0 to 1. */
  @NumberBetween(0, 1)
  probabilityAlive: number;

  /** When the return was detected. */
  @Instant()
  restoredAt: string;
}
