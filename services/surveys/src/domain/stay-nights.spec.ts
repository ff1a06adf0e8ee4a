import { invitationAdjustment, latestNightsPerStay, postedAfter, type NightsPosting } from './stay-nights';

const posting = (overrides: Partial<NightsPosting> = {}): NightsPosting => ({
  propertyId: 'AMS01',
  reservationId: 'R-1',
  adjustmentKey: 'AMS01/ADJ-1',
  nights: 0,
  adjustedAt: '2031-03-06T14:00:00Z',
  ...overrides,
});

describe('postedAfter', () => {
  it('should order postings by when they were posted, whatever the zone they name it in', () => {
    const earlier = posting({ adjustedAt: '2031-03-06T15:00:00+02:00' });
    const later = posting({ adjustedAt: '2031-03-06T13:30:00Z' });
    expect(postedAfter(later, earlier)).toBe(true);
    expect(postedAfter(earlier, later)).toBe(false);
  });

  it('should order two posted at the same instant by adjustment key, either way round', () => {
    const [a, b] = [posting({ adjustmentKey: 'AMS01/ADJ-1' }), posting({ adjustmentKey: 'AMS01/ADJ-2' })];
    expect(postedAfter(b, a)).toBe(true);
    expect(postedAfter(a, b)).toBe(false);
  });
});

describe('latestNightsPerStay', () => {
  it('should keep the latest posted of each stay, in whatever order they came', () => {
    const first = posting({ nights: 0, adjustedAt: '2031-03-06T14:00:00Z' });
    const second = posting({ nights: 2, adjustmentKey: 'AMS01/ADJ-2', adjustedAt: '2031-03-07T09:00:00Z' });
    const other = posting({ reservationId: 'R-2', nights: 1 });
    expect(latestNightsPerStay([second, other, first])).toEqual([second, other]);
    expect(latestNightsPerStay([first, second])).toEqual([second]);
  });

  it('should tell apart stays of two properties with the same reservation id', () => {
    const [ams, rot] = [posting(), posting({ propertyId: 'ROT01', adjustmentKey: 'ROT01/ADJ-1' })];
    expect(latestNightsPerStay([ams, rot])).toEqual([ams, rot]);
  });
});

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
