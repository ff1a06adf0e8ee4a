import {
  awaitGuestsOfInvitationsWaitingSince,
  contactExclusion,
  isSampled,
  stayExclusion,
  type GuestContact,
} from './eligibility';

const policy = {
  excludedRatePlans: new Set(['COMP', 'STAFF']),
  samplingPercent: 100,
  checkedOutSince: new Date('2025-05-02T10:00:00Z'),
};
const stay = {
  stayId: '0b9c3b7e-1a2b-4c3d-8e9f-001122334455',
  ratePlan: 'BAR',
  nights: 2,
  checkedOutAt: '2025-05-31T09:00:00Z',
};
const reachable: GuestContact = { erased: false, heardOf: true, emailOnFile: true, phoneOnFile: false };
const now = new Date('2025-06-01T10:00:00Z');

describe('stayExclusion', () => {
  it('should invite when the stay is a paid stay of at least one night', () => {
    expect(stayExclusion(stay, policy)).toBeNull();
  });

  it('should exclude complimentary and staff stays whatever the case of the rate plan', () => {
    expect(stayExclusion({ ...stay, ratePlan: 'comp' }, policy)).toBe('excluded-rate-plan');
    expect(stayExclusion({ ...stay, ratePlan: 'STAFF' }, policy)).toBe('excluded-rate-plan');
  });

  it('should exclude a stay of zero nights', () => {
    expect(stayExclusion({ ...stay, nights: 0 }, policy)).toBe('zero-nights');
  });

  it('should exclude a stay checked out before the oldest check-out still surveyed, and keep one checked out then', () => {
    expect(stayExclusion({ ...stay, checkedOutAt: '2025-05-02T09:59:59.999Z' }, policy)).toBe('too-late');
    expect(stayExclusion({ ...stay, checkedOutAt: '2025-05-02T10:00:00Z' }, policy)).toBeNull();
  });

  it('should survey a stay however long ago it was checked out when there is no oldest check-out', () => {
    expect(
      stayExclusion({ ...stay, checkedOutAt: '1999-01-01T00:00:00Z' }, { ...policy, checkedOutSince: null }),
    ).toBeNull();
  });

  it('should exclude every stay when the sampling percentage is zero', () => {
    expect(stayExclusion(stay, { ...policy, samplingPercent: 0 })).toBe('not-sampled');
  });

  it('should withdraw a stay adjusted to zero nights, and invite one adjusted to some', () => {
    expect(stayExclusion({ ...stay, adjustedNights: 0 }, policy)).toBe('adjusted-to-zero-nights');
    expect(stayExclusion({ ...stay, adjustedNights: 1 }, policy)).toBeNull();
  });

  // Given nights again, a withdrawn stay is invited: it must not be one excluded for another reason.
  it('should give a stay adjusted to zero nights the reason of its own facts when they exclude it', () => {
    expect(stayExclusion({ ...stay, ratePlan: 'COMP', adjustedNights: 0 }, policy)).toBe(
      'excluded-rate-plan',
    );
    expect(stayExclusion({ ...stay, nights: 0, adjustedNights: 2 }, policy)).toBe('zero-nights');
    expect(stayExclusion({ ...stay, adjustedNights: 0 }, { ...policy, samplingPercent: 0 })).toBe(
      'not-sampled',
    );
  });
});

describe('isSampled', () => {
  it('should keep about the configured share of stays and decide the same way twice', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `stay-${i}`);
    const kept = ids.filter((id) => isSampled(id, 25)).length;
    expect(kept / ids.length).toBeGreaterThan(0.22);
    expect(kept / ids.length).toBeLessThan(0.28);
    expect(ids.filter((id) => isSampled(id, 25)).length).toBe(kept);
  });
});

describe('contactExclusion', () => {
  it('should allow a reachable guest never invited before', () => {
    expect(contactExclusion(reachable, now, 30)).toBeNull();
  });

  it('should refuse an erased guest before anything else', () => {
    expect(contactExclusion({ ...reachable, erased: true, surveysConsent: false }, now, 30)).toBe('erased');
  });

  it('should refuse a guest who withdrew consent to surveys', () => {
    expect(contactExclusion({ ...reachable, surveysConsent: false }, now, 30)).toBe('no-consent');
  });

  it('should refuse a guest with neither email nor phone on file', () => {
    expect(contactExclusion({ ...reachable, emailOnFile: false }, now, 30)).toBe('no-channel');
  });

  it('should refuse a guest still unknown to surveys as unknown, not as one without a channel', () => {
    expect(contactExclusion(undefined, now, 30)).toBe('unknown-guest');
  });

  it('should refuse a guest only a merge has named as unknown, not as one without a channel', () => {
    const placeholder = { erased: false, heardOf: false, emailOnFile: false, phoneOnFile: false };
    expect(contactExclusion(placeholder, now, 30)).toBe('unknown-guest');
  });

  it('should refuse a guest invited within the recontact window and allow one invited before it', () => {
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    expect(contactExclusion({ ...reachable, lastInvitedAt: daysAgo(29) }, now, 30)).toBe('recently-surveyed');
    expect(contactExclusion({ ...reachable, lastInvitedAt: daysAgo(31) }, now, 30)).toBeNull();
  });
});

describe('awaitGuestsOfInvitationsWaitingSince', () => {
  it('should wait for the guests of invitations that began waiting within the grace period before now', () => {
    expect(awaitGuestsOfInvitationsWaitingSince(now, 24)).toEqual(new Date('2025-05-31T10:00:00Z'));
  });

  it('should wait for none when the grace period is zero', () => {
    expect(awaitGuestsOfInvitationsWaitingSince(now, 0)).toEqual(now);
  });
});
