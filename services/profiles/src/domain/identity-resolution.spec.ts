import { resolveIdentity, scoreCandidate, type Candidate, type EvidenceKind } from './identity-resolution';

const thresholds = { autoMerge: 0.85, review: 0.5 };
const candidate = (guestId: string, ...shared: EvidenceKind[]): Candidate => ({
  guestId,
  shared: new Set(shared),
});

describe('scoreCandidate', () => {
  it.each<[EvidenceKind[], string, number]>([
    [['loyalty-number', 'email'], 'same-loyalty-number', 1],
    [['external-profile'], 'same-external-profile', 0.95],
    [['email', 'full-name'], 'same-email', 0.9],
    [['phone', 'full-name'], 'same-phone', 0.88],
    [['name-dob'], 'same-name-and-dob', 0.75],
    [['email', 'similar-name'], 'email-only', 0.7],
    [['phone', 'family-name'], 'phone-only', 0.6],
    [['similar-name'], 'similar-name', 0.55],
  ])('should score %j as %s (%d)', (shared, rule, score) => {
    expect(scoreCandidate(candidate('g', ...shared))).toEqual({ guestId: 'g', rule, score });
  });

  it('should not score a candidate when only the family name is shared', () => {
    expect(scoreCandidate(candidate('g', 'family-name'))).toBeUndefined();
  });
});

describe('resolveIdentity', () => {
  it('should create a new guest when nothing matches', () => {
    expect(resolveIdentity([], thresholds)).toEqual({ matched: undefined, merges: [], suggestions: [] });
  });

  it('should match the strongest candidate when it passes the auto-merge threshold', () => {
    const result = resolveIdentity(
      [candidate('b', 'email', 'full-name'), candidate('a', 'loyalty-number')],
      thresholds,
    );
    expect(result.matched).toEqual({ guestId: 'a', rule: 'same-loyalty-number', score: 1 });
    expect(result.merges).toEqual([{ guestId: 'b', rule: 'same-email', score: 0.9 }]);
  });

  it('should suggest, never match, a profile that shares only an email or a phone and the family name with the identity', () => {
    // A travel agent's address on many guests' bookings; a household's phone.
    const result = resolveIdentity(
      [candidate('a', 'email', 'family-name'), candidate('b', 'phone', 'family-name')],
      thresholds,
    );
    expect(result.matched).toBeUndefined();
    expect(result.merges).toEqual([]);
    expect(result.suggestions).toEqual([
      { guestId: 'a', rule: 'email-only', score: 0.7 },
      { guestId: 'b', rule: 'phone-only', score: 0.6 },
    ]);
  });

  it('should only suggest when the evidence is weak, never match', () => {
    const result = resolveIdentity([candidate('a', 'name-dob'), candidate('b', 'similar-name')], thresholds);
    expect(result.matched).toBeUndefined();
    expect(result.suggestions.map((s) => s.guestId)).toEqual(['a', 'b']);
  });

  it('should not match on a weak rule even when the thresholds are set low', () => {
    const result = resolveIdentity([candidate('a', 'phone')], { autoMerge: 0.5, review: 0.1 });
    expect(result.matched).toBeUndefined();
    expect(result.suggestions).toEqual([{ guestId: 'a', rule: 'phone-only', score: 0.6 }]);
  });

  it('should suggest rather than merge a second member with a different loyalty number', () => {
    const result = resolveIdentity(
      [
        { ...candidate('a', 'loyalty-number'), loyaltyNumbers: new Set(['L1']) },
        { ...candidate('b', 'email', 'full-name'), loyaltyNumbers: new Set(['L2']) },
      ],
      thresholds,
      'L1',
    );
    expect(result.merges).toEqual([]);
    expect(result.suggestions).toEqual([{ guestId: 'b', rule: 'same-email', score: 0.9 }]);
  });

  it('should create a new guest and suggest the pair when the only strong candidate holds another loyalty number', () => {
    const result = resolveIdentity(
      [{ ...candidate('a', 'email', 'full-name'), loyaltyNumbers: new Set(['L2']) }],
      thresholds,
      'L1',
    );
    expect(result).toEqual({
      matched: undefined,
      merges: [],
      suggestions: [{ guestId: 'a', rule: 'same-email', score: 0.9 }],
    });
  });

  it('should match the strongest candidate without a conflicting loyalty number when a stronger one has one', () => {
    const result = resolveIdentity(
      [
        { ...candidate('a', 'email', 'full-name'), loyaltyNumbers: new Set(['L2']) },
        candidate('b', 'phone', 'full-name'),
      ],
      thresholds,
      'L1',
    );
    expect(result.matched).toEqual({ guestId: 'b', rule: 'same-phone', score: 0.88 });
    expect(result.merges).toEqual([]);
    expect(result.suggestions).toEqual([{ guestId: 'a', rule: 'same-email', score: 0.9 }]);
  });

  it('should merge at most one member into an identity that brings no loyalty number, and suggest the others', () => {
    const result = resolveIdentity(
      [
        { ...candidate('a', 'email', 'full-name'), loyaltyNumbers: new Set(['L1']) },
        { ...candidate('b', 'phone', 'full-name'), loyaltyNumbers: new Set(['L2']) },
        candidate('c', 'phone', 'full-name'),
      ],
      thresholds,
    );
    expect(result.matched).toEqual({ guestId: 'a', rule: 'same-email', score: 0.9 });
    expect(result.merges).toEqual([{ guestId: 'c', rule: 'same-phone', score: 0.88 }]);
    expect(result.suggestions).toEqual([{ guestId: 'b', rule: 'same-phone', score: 0.88 }]);
  });

  it('should take in one member when neither the identity nor its best match holds a loyalty number', () => {
    const result = resolveIdentity(
      [
        candidate('a', 'external-profile'),
        { ...candidate('b', 'email', 'full-name'), loyaltyNumbers: new Set(['L1']) },
        { ...candidate('c', 'phone', 'full-name'), loyaltyNumbers: new Set(['L2']) },
        { ...candidate('d', 'phone', 'full-name'), loyaltyNumbers: new Set(['L1']) },
      ],
      thresholds,
    );
    expect(result.merges.map((m) => m.guestId)).toEqual(['b', 'd']);
    expect(result.suggestions.map((s) => s.guestId)).toEqual(['c']);
  });

  it('should match the survivor of a staff merge of two members when the stay brings the merged-away number', () => {
    const survivor = { ...candidate('s', 'loyalty-number'), loyaltyNumbers: new Set(['L1', 'L2']) };
    expect(resolveIdentity([survivor], thresholds, 'L2')).toEqual({
      matched: { guestId: 's', rule: 'same-loyalty-number', score: 1 },
      merges: [],
      suggestions: [],
    });
  });

  it('should suggest, not merge, another member when the matched profile holds two merged members’ numbers', () => {
    const result = resolveIdentity(
      [
        { ...candidate('s', 'email', 'full-name'), loyaltyNumbers: new Set(['L1', 'L2']) },
        { ...candidate('t', 'phone', 'full-name'), loyaltyNumbers: new Set(['L3']) },
      ],
      thresholds,
    );
    expect(result.matched?.guestId).toBe('s');
    expect(result.merges).toEqual([]);
    expect(result.suggestions.map((s) => s.guestId)).toEqual(['t']);
  });

  it('should match neither of two equally strong candidates that staff declared different people, and suggest both', () => {
    const result = resolveIdentity(
      [
        { ...candidate('a', 'email', 'full-name'), notSameAs: new Set(['b']) },
        { ...candidate('b', 'email', 'full-name'), notSameAs: new Set(['a']) },
      ],
      thresholds,
    );
    expect(result).toEqual({
      matched: undefined,
      merges: [],
      suggestions: [
        { guestId: 'a', rule: 'same-email', score: 0.9 },
        { guestId: 'b', rule: 'same-email', score: 0.9 },
      ],
    });
  });

  it('should match the stronger of two candidates that staff declared different people', () => {
    const result = resolveIdentity(
      [
        { ...candidate('a', 'email', 'full-name'), notSameAs: new Set(['b']) },
        { ...candidate('b', 'loyalty-number'), notSameAs: new Set(['a']) },
      ],
      thresholds,
    );
    expect(result.matched).toEqual({ guestId: 'b', rule: 'same-loyalty-number', score: 1 });
  });

  it('should match the tied candidate that is not another member when the other one staff declared different is', () => {
    const result = resolveIdentity(
      [
        {
          ...candidate('a', 'email', 'full-name'),
          loyaltyNumbers: new Set(['L2']),
          notSameAs: new Set(['b']),
        },
        { ...candidate('b', 'email', 'full-name'), notSameAs: new Set(['a']) },
      ],
      thresholds,
      'L1',
    );
    expect(result.matched).toEqual({ guestId: 'b', rule: 'same-email', score: 0.9 });
    expect(result.suggestions).toEqual([{ guestId: 'a', rule: 'same-email', score: 0.9 }]);
  });

  it('should ignore candidates below the review band', () => {
    expect(
      resolveIdentity([candidate('a', 'similar-name')], { autoMerge: 0.9, review: 0.6 }).suggestions,
    ).toEqual([]);
  });
});
