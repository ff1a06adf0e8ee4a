import { consentUpdates, isAnnouncedPurpose } from './consent-announcements';

describe('the guest-updated events announcing consents', () => {
  const decidedAt = new Date('2026-01-05T09:30:00.123Z');
  const withdrawn = { guestId: '0190a1b2-0000-7000-8000-000000000001', granted: false, decidedAt };

  it('should announce a consent under its purpose’s attribute, keyed by the guest, as of its decision', () => {
    expect(consentUpdates('profiling', [withdrawn])).toEqual([
      {
        data: {
          guestId: withdrawn.guestId,
          changes: { profilingConsent: false },
          updatedAt: '2026-01-05T09:30:00.123Z',
        },
        options: { subject: withdrawn.guestId },
      },
    ]);
  });

  it('should announce a consent as of the instant given instead', () => {
    const now = new Date('2026-12-07T10:00:00.000Z');
    expect(consentUpdates('surveys', [{ ...withdrawn, granted: true }], now)).toMatchObject([
      { data: { changes: { surveysConsent: true }, updatedAt: '2026-12-07T10:00:00.000Z' } },
    ]);
  });

  it('should announce marketing, surveys and profiling consent only', () => {
    expect(
      ['marketing', 'surveys', 'profiling', 'newsletter', 'toString'].filter(isAnnouncedPurpose),
    ).toEqual(['marketing', 'surveys', 'profiling']);
  });
});
