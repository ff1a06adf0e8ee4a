import { assertStillAtLevel, nextEscalationLevel, notifiedRoleFor, strongestRole } from './escalation';

describe('escalation', () => {
  it('should go up one level at a time and refuse to go past the top', () => {
    expect(nextEscalationLevel(0)).toBe(1);
    expect(nextEscalationLevel(2)).toBe(3);
    expect(() => nextEscalationLevel(3)).toThrow(expect.objectContaining({ code: 'ESCALATION_AT_TOP' }));
  });

  it('should refuse an escalation from a level the complaint has left, naming the level it is at', () => {
    expect(() => assertStillAtLevel(1, 1)).not.toThrow();
    expect(() => assertStillAtLevel(1, undefined)).not.toThrow();
    expect(() => assertStillAtLevel(1, 0)).toThrow(
      expect.objectContaining({ code: 'ESCALATION_LEVEL_CHANGED', details: { escalationLevel: 1 } }),
    );
  });

  it.each([
    [1, 'front-desk', 'property-manager'],
    [2, 'service', 'property-manager'],
    [1, 'property-manager', 'chain-admin'],
    [3, 'front-desk', 'chain-admin'],
  ] as const)('should notify at level %i for an owner who is %s: %s', (level, owner, notified) => {
    expect(notifiedRoleFor(level, owner)).toBe(notified);
  });
});

describe('strongestRole', () => {
  it('should take the most senior role of a token', () => {
    expect(strongestRole(['front-desk', 'property-manager', 'analyst'])).toBe('property-manager');
    expect(strongestRole([])).toBe('analyst');
  });
});
