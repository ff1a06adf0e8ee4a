import { randomUUID } from 'node:crypto';
import { sampleEventAsVersion } from '../../testing/fixtures';
import { validateEvent } from '../../validate';
import { ContractViolation } from '../../validation/contract-violation';

const adjusted = (version: string, data: Record<string, unknown> = {}) =>
  sampleEventAsVersion('points-adjusted', version, data);

describe('points-adjusted versions', () => {
  it('should still accept a v1 adjustment when v2 is the current version', () => {
    expect(validateEvent(adjusted('1')).version).toBe('1');
  });

  it('should accept a v2 adjustment naming the transfer and the other member when it is one side of a transfer', () => {
    const transfer = { transferId: randomUUID(), counterpartyGuestId: randomUUID() };
    const event = validateEvent(adjusted('2', { transfer }), 'points-adjusted');
    expect(event.data).toMatchObject({ transfer });
  });

  it('should refuse a transfer without the other member', () => {
    expect(() => validateEvent(adjusted('2', { transfer: { transferId: randomUUID() } }))).toThrow(
      ContractViolation,
    );
  });
});
