import { Nested, Uuid } from '../../common/decorators';
import { StayReferenceDto } from '../../common/stay-reference.dto';

/** Fields of every survey event: whose survey, which survey, about which stay. */
export abstract class SurveyFields {
  /** The guest the survey is for. */
  @Uuid()
  guestId: string;

  /** Survey id minted by surveys; one per invitation. */
  @Uuid()
  surveyId: string;

  /** The stay the survey asks about. */
  @Nested(() => StayReferenceDto)
  stay: StayReferenceDto;
}
