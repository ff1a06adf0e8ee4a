import { instantOf } from './instant';
import {
  consentsAfterNews,
  foldMergedConsents,
  objectsToProfiling,
  profilingConsentNews,
  type ProfilingConsent,
  type ProfilingConsentNews,
} from './profiling-consent';

const GUEST = 'guest';
const MERGED = 'merged';
const [earlier, later] = [instantOf('2031-03-01T09:00:00Z'), instantOf('2031-03-02T09:00:00Z')];
const objection = (asOf = later): ProfilingConsent => ({ granted: false, asOf });
const consent = (asOf = later): ProfilingConsent => ({ granted: true, asOf });

/** News of `namedId` (the guest's own id unless given), now the guest's. */
function news(heard: ProfilingConsent, namedId = GUEST): ProfilingConsentNews {
  return { ...heard, guestId: GUEST, namedId };
}

/** The guest's consent after the news, from `held`. */
function after(held: ProfilingConsent | undefined, ...heard: ProfilingConsentNews[]) {
  return consentsAfterNews(new Map(held ? [[GUEST, held]] : []), heard).get(GUEST);
}

describe('profilingConsentNews', () => {
  it('should hear a withdrawal as of the instant of the news, to the microsecond', () => {
    expect(profilingConsentNews(GUEST, { profilingConsent: false }, '2031-03-01T09:00:00.1234567Z')).toEqual([
      { guestId: GUEST, namedId: GUEST, granted: false, asOf: '2031-03-01T09:00:00.123457Z' },
    ]);
  });

  it('should hear nothing when the attributes say nothing of profiling', () => {
    expect(profilingConsentNews(GUEST, { profilingConsent: undefined }, '2031-03-01T09:00:00Z')).toEqual([]);
  });
});

describe('consentsAfterNews', () => {
  it('should take the first news of a guest as it comes', () => {
    expect(after(undefined, news(objection(earlier)))).toEqual(objection(earlier));
    expect(after(undefined, news(consent(earlier)))).toEqual(consent(earlier));
  });

  it('should take consent given again after an objection', () => {
    expect(after(objection(earlier), news(consent(later)))).toEqual(consent(later));
  });

  it('should leave a newer objection standing when an older consent is handled after it', () => {
    expect(after(objection(later), news(consent(earlier)))).toEqual(objection(later));
  });

  it('should hold an objection even when it is older than the consent held, as of the later instant', () => {
    expect(after(consent(earlier), news(objection(later)))).toEqual(objection(later));
    expect(after(consent(later), news(objection(earlier)))).toEqual(objection(later));
  });

  it("should not let consent of an id merged into the guest undo the guest's objection, however new", () => {
    expect(after(objection(earlier), news(consent(later), MERGED))).toEqual(objection(later));
    expect(after(undefined, news(consent(earlier), MERGED))).toEqual(consent(earlier));
  });

  it("should apply one guest's news of a batch in order, each seeing the ones before it", () => {
    expect(after(undefined, news(objection(later)), news(consent(earlier)))).toEqual(objection(later));
    expect(after(undefined, news(objection(earlier)), news(consent(later)))).toEqual(consent(later));
  });

  it('should give back only the guests the news is of', () => {
    const held = new Map([['other', objection()]]);
    expect([...consentsAfterNews(held, [news(consent())]).keys()]).toEqual([GUEST]);
  });
});

describe('foldMergedConsents', () => {
  it('should hold an objection of either guest for the survivor, as of the later instant', () => {
    expect(foldMergedConsents(consent(later), objection(earlier))).toEqual(objection(later));
    expect(foldMergedConsents(objection(earlier), consent(later))).toEqual(objection(later));
    expect(foldMergedConsents(consent(earlier), consent(later))).toEqual(consent(later));
  });

  it('should keep what one guest said when the other said nothing', () => {
    expect(foldMergedConsents(undefined, objection())).toEqual(objection());
    expect(foldMergedConsents(consent(), undefined)).toEqual(consent());
    expect(foldMergedConsents(undefined, undefined)).toBeUndefined();
  });
});

describe('objectsToProfiling', () => {
  it('should tell an objection from consent and from a guest never announced', () => {
    expect([objection(), consent(), undefined].map(objectsToProfiling)).toEqual([true, false, false]);
  });
});
