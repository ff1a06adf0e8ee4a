// What judges the model against simulated guests: BG/NBD data drawn from known parameters, and the
// detection evaluation against the simulator's planted lapses. A separate entry point
// (`@loyalty/lifetime/evaluation`) because it pulls in the simulator, which the service must not load.
export { simulateBgNbd } from './bgnbd/simulate-bgnbd';
export {
  evaluateDetection,
  type DetectionScore,
  type EvaluationOptions,
  type EvaluationReport,
} from './detection/detection-evaluation';
