import { invitationAdjustment } from './stay-nights';

describe('invitationAdjustment', () => {
  const now = new Date('2031-03-07T10:00:00Z');
  const dueAt = new Date('2031-03-08T09:00:00Z');
  const withdrawn = { state: 'skipped', skipReason: 'adjusted-to-zero-nights', dueAt };

  it('should withdraw an invitation not sent yet when the stay is at zero nights', () => {
    expect(invitationAdjustment({ state: 'scheduled', skipReason: null, dueAt }, 0, now)).toBe('withdraw');
  });

  it.each(['sent', 'answered'])('should leave an invitation %s when the stay is at zero nights', (state) => {
    expect(invitationAdjustment({ state, skipReason: null, dueAt }, 0, now)).toBeNull();
  });

  it('should restore a withdrawn invitation given nights before it is due, and leave it once due', () => {
    expect(invitationAdjustment(withdrawn, 2, now)).toBe('restore');
    expect(invitationAdjustment(withdrawn, 2, dueAt)).toBeNull();
  });

  it('should leave an invitation skipped for another reason, or scheduled, when the stay has nights', () => {
    expect(invitationAdjustment({ ...withdrawn, skipReason: 'zero-nights' }, 2, now)).toBeNull();
    expect(invitationAdjustment({ state: 'scheduled', skipReason: null, dueAt }, 2, now)).toBeNull();
  });
});
