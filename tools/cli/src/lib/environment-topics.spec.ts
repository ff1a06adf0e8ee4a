import { isEnvironmentTopic } from './environment-topics';

describe('isEnvironmentTopic', () => {
  it("should take the prefix's event topics and their dead letters", () => {
    expect(isEnvironmentTopic('stay-recorded', '')).toBe(true);
    expect(isEnvironmentTopic('points-earned.dlq', '')).toBe(true);
    expect(isEnvironmentTopic('staging.points-earned.dlq', 'staging.')).toBe(true);
  });

  it("should leave out other environments' topics sharing the broker, and internal ones", () => {
    expect(isEnvironmentTopic('t1a2b3.points-earned.dlq', '')).toBe(false);
    expect(isEnvironmentTopic('staging.eu.stay-recorded', 'staging.')).toBe(false);
    expect(isEnvironmentTopic('__consumer_offsets', '')).toBe(false);
    expect(isEnvironmentTopic('stay-recorded', 'staging.')).toBe(false);
  });
});
