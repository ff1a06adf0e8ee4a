import { finalSurvivors, foldMergedGuest, skippedUnder, type GuestFacts } from './guest-merge';

const unreachable: GuestFacts = { heardOf: true, emailOnFile: false, phoneOnFile: false };

describe('foldMergedGuest', () => {
  it("should keep a refusal of surveys from either side, whatever the other's consent", () => {
    expect(
      foldMergedGuest({ ...unreachable, surveysConsent: true }, { surveysConsent: false }),
    ).toMatchObject({
      surveysConsent: false,
    });
    expect(
      foldMergedGuest({ ...unreachable, surveysConsent: false }, { surveysConsent: true }),
    ).toMatchObject({
      surveysConsent: false,
    });
  });

  it("should take the merged guest's consent only when the survivor was never asked", () => {
    expect(foldMergedGuest(unreachable, { surveysConsent: true }).surveysConsent).toBe(true);
    expect(foldMergedGuest({ ...unreachable, surveysConsent: true }, {}).surveysConsent).toBe(true);
    expect(foldMergedGuest(unreachable, {}).surveysConsent).toBeUndefined();
  });

  it("should hold a refusal from either side as of the later of the two consents' instants", () => {
    const earlier = new Date('2025-03-01T10:00:00Z');
    const latest = new Date('2025-03-02T10:00:00Z');
    expect(
      foldMergedGuest(
        { ...unreachable, surveysConsent: true, surveysConsentAsOf: earlier },
        { surveysConsent: false, surveysConsentAsOf: latest },
      ),
    ).toMatchObject({ surveysConsent: false, surveysConsentAsOf: latest });
    expect(
      foldMergedGuest(
        { ...unreachable, surveysConsent: false, surveysConsentAsOf: earlier },
        { surveysConsent: true, surveysConsentAsOf: latest },
      ),
    ).toMatchObject({ surveysConsent: false, surveysConsentAsOf: latest });
    expect(
      foldMergedGuest(
        { ...unreachable, surveysConsent: true, surveysConsentAsOf: latest },
        { surveysConsent: false, surveysConsentAsOf: earlier },
      ),
    ).toMatchObject({ surveysConsent: false, surveysConsentAsOf: latest });
  });

  it("should keep the instant of the only side's consent, and none when neither side was asked", () => {
    const asOf = new Date('2025-03-01T10:00:00Z');
    expect(foldMergedGuest(unreachable, { surveysConsent: true, surveysConsentAsOf: asOf })).toMatchObject({
      surveysConsent: true,
      surveysConsentAsOf: asOf,
    });
    expect(
      foldMergedGuest({ ...unreachable, surveysConsent: false, surveysConsentAsOf: asOf }, {}),
    ).toMatchObject({ surveysConsent: false, surveysConsentAsOf: asOf });
    expect(foldMergedGuest(unreachable, {}).surveysConsentAsOf).toBeUndefined();
  });

  it('should count a channel either side has, and not lose one the merged guest no longer has', () => {
    expect(foldMergedGuest(unreachable, { emailOnFile: true })).toMatchObject({
      emailOnFile: true,
      phoneOnFile: false,
    });
    expect(
      foldMergedGuest({ ...unreachable, emailOnFile: true, phoneOnFile: true }, { emailOnFile: false }),
    ).toMatchObject({
      emailOnFile: true,
      phoneOnFile: true,
    });
  });

  it("should keep the survivor's language and take the merged guest's only when it has none", () => {
    expect(
      foldMergedGuest({ ...unreachable, preferredLanguage: 'en-GB' }, { preferredLanguage: 'zh-CN' }),
    ).toMatchObject({
      preferredLanguage: 'en-GB',
    });
    expect(foldMergedGuest(unreachable, { preferredLanguage: 'zh-CN' }).preferredLanguage).toBe('zh-CN');
  });

  it('should keep the later invitation of the two, so the recontact window spans both', () => {
    const earlier = new Date('2025-05-01T10:00:00Z');
    const latest = new Date('2025-06-01T10:00:00Z');
    expect(
      foldMergedGuest({ ...unreachable, lastInvitedAt: earlier }, { lastInvitedAt: latest }).lastInvitedAt,
    ).toBe(latest);
    expect(
      foldMergedGuest({ ...unreachable, lastInvitedAt: latest }, { lastInvitedAt: earlier }).lastInvitedAt,
    ).toBe(latest);
    expect(foldMergedGuest(unreachable, { lastInvitedAt: earlier }).lastInvitedAt).toBe(earlier);
    expect(foldMergedGuest({ ...unreachable, lastInvitedAt: earlier }, {}).lastInvitedAt).toBe(earlier);
  });

  it('should count the guest heard of when profiles announced either id, and not when neither', () => {
    const unheard = { ...unreachable, heardOf: false };
    expect(foldMergedGuest(unheard, { heardOf: true }).heardOf).toBe(true);
    expect(foldMergedGuest(unreachable, { heardOf: false }).heardOf).toBe(true);
    expect(foldMergedGuest(unheard, { heardOf: false }).heardOf).toBe(false);
    expect(foldMergedGuest(unheard, {}).heardOf).toBe(false);
  });
});

describe('finalSurvivors', () => {
  it('should follow each id to the guest its chain of merges ends at', () => {
    const mergedInto = new Map([
      ['merged-earlier', 'merged'],
      ['merged', 'survivor'],
      ['survivor', null],
      ['other', null],
    ]);
    expect(finalSurvivors(['merged-earlier', 'merged', 'survivor', 'other'], mergedInto)).toEqual(
      new Map([
        ['merged-earlier', 'survivor'],
        ['merged', 'survivor'],
        ['survivor', 'survivor'],
        ['other', 'other'],
      ]),
    );
  });

  it('should keep an id not known, in a cycle of merges or merged into a guest not known as it is', () => {
    const mergedInto = new Map([
      ['a', 'b'],
      ['b', 'a'],
      ['itself', 'itself'],
      ['dangling', 'nowhere'],
    ]);
    expect(finalSurvivors(['unknown', 'a', 'b', 'itself', 'dangling'], mergedInto)).toEqual(
      new Map([
        ['unknown', 'unknown'],
        ['a', 'a'],
        ['b', 'b'],
        ['itself', 'itself'],
        ['dangling', 'dangling'],
      ]),
    );
  });
});

describe('skippedUnder', () => {
  it('should keep a skipped invitation under the survivor its guest was merged into, and under no one once erased', () => {
    expect(skippedUnder('merged', { guestId: 'survivor', erased: false })).toBe('survivor');
    expect(skippedUnder('own', { guestId: 'own', erased: false })).toBe('own');
    expect(skippedUnder('merged', { guestId: 'survivor', erased: true })).toBeNull();
  });

  it('should keep it under its own guest id while that guest is not known', () => {
    expect(skippedUnder('unknown', undefined)).toBe('unknown');
  });
});
