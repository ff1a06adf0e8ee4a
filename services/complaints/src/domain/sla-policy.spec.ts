import {
  choosePolicy,
  DEFAULT_SLA_POLICIES,
  FALLBACK_SLA_POLICY,
  policyById,
  type SlaSubject,
} from './sla-policy';

const subject = (overrides: Partial<SlaSubject>): SlaSubject => ({
  severity: 'medium',
  tier: 'member',
  category: 'cleanliness',
  ...overrides,
});

describe('SLA policy choice', () => {
  it.each([
    ['critical', subject({ severity: 'critical', tier: 'titanium', category: 'noise' }), 15, 240],
    ['high-top-tier', subject({ severity: 'high', tier: 'platinum' }), 30, 720],
    ['high', subject({ severity: 'high', tier: 'gold', category: 'noise' }), 60, 1440],
    ['noise', subject({ severity: 'low', category: 'noise' }), 30, 720],
    ['medium', subject({ severity: 'medium' }), 240, 4320],
    ['low', subject({ severity: 'low' }), 1440, 10080],
  ])('should choose %s first when its conditions match', (id, complaint, acknowledge, resolve) => {
    expect(choosePolicy(DEFAULT_SLA_POLICIES, complaint)).toMatchObject({
      id,
      acknowledgeWithinMinutes: acknowledge,
      resolveWithinMinutes: resolve,
    });
  });

  it('should fall back to the default when no policy matches', () => {
    const onlyCritical = DEFAULT_SLA_POLICIES.filter((policy) => policy.id === 'critical');
    expect(choosePolicy(onlyCritical, subject({ severity: 'low' }))).toBe(FALLBACK_SLA_POLICY);
  });

  it('should run urgent policies round the clock and the others in business hours', () => {
    expect(choosePolicy(DEFAULT_SLA_POLICIES, subject({ severity: 'critical' })).businessHours).toBe(false);
    expect(choosePolicy(DEFAULT_SLA_POLICIES, subject({ severity: 'low' })).businessHours).toBe(true);
  });

  it('should find the policy a complaint was opened under, or the default', () => {
    expect(policyById('noise').resolveWithinMinutes).toBe(720);
    expect(policyById('retired-policy')).toBe(FALLBACK_SLA_POLICY);
  });
});
