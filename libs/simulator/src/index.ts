export {
  simulate,
  type Delivery,
  type LapseTruth,
  type MalformedKind,
  type Simulation,
  type SimulationOptions,
} from './simulate';
export { DEFAULT_CHAIN, type SimulatedProperty } from './chain';
export { DEFAULT_GUEST_MIX, type GuestMix, type GuestSegment, type SimulatedGuest } from './guests';
export { lastCheckOutDayBy, periodStartForCheckOutsBy, type SimulatedStay } from './stays';
export { SeededRandom } from './random';
export { surveyAnswerFor, SURVEY_RESPONSE_RATE, type SurveyAnswers } from './survey-answers';
