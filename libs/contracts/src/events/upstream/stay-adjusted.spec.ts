import { sampleEvent } from '../../testing/fixtures';
import { validateEvent } from '../../validate';
import { ContractViolation } from '../../validation/contract-violation';

/** The sample stay-adjusted as received, with its payload edited and its version set. */
function adjusted(version: string, data: Record<string, unknown> = {}): unknown {
  const event = JSON.parse(JSON.stringify(sampleEvent('stay-adjusted')));
  return { ...event, dataversion: version, data: { ...event.data, ...data } };
}

describe('stay-adjusted versions', () => {
  it('should still accept a v1 adjustment, without nights, when v2 is the current version', () => {
    expect(validateEvent(adjusted('1')).version).toBe('1');
  });

  it('should accept a v2 adjustment with the nights after it, including none left', () => {
    expect(validateEvent(adjusted('2', { nights: 2 }), 'stay-adjusted').data).toMatchObject({ nights: 2 });
    expect(validateEvent(adjusted('2', { nights: 0 }), 'stay-adjusted').data).toMatchObject({ nights: 0 });
  });

  it.each([-1, 1.5, '2', null])('should refuse %p nights', (nights) => {
    expect(() => validateEvent(adjusted('2', { nights }))).toThrow(ContractViolation);
  });

  it('should refuse nights in a v1 adjustment, which does not have the field', () => {
    expect(() => validateEvent(adjusted('1', { nights: 2 }))).toThrow(ContractViolation);
  });
});
