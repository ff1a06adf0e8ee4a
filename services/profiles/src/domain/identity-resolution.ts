// Identity resolution: which existing guest (if any) an upstream identity block belongs to. Pure: the
// caller looks up which guests share each piece of evidence (by blind index) and this decides.

/** Pieces of evidence an identity can share with a guest profile. */
export type EvidenceKind =
  | 'loyalty-number'
  | 'external-profile'
  | 'email'
  | 'phone'
  | 'family-name'
  | 'full-name'
  | 'name-dob'
  | 'similar-name';

export type MatchRule =
  | 'same-loyalty-number'
  | 'same-external-profile'
  | 'same-email'
  | 'same-phone'
  | 'email-only'
  | 'phone-only'
  | 'same-name-and-dob'
  | 'similar-name';

interface RuleDefinition {
  rule: MatchRule;
  requires: EvidenceKind[];
  weight: number;
}

/** Strongest first; a candidate's score is the weight of the strongest rule it satisfies. */
export const MATCH_RULES: readonly RuleDefinition[] = [
  { rule: 'same-loyalty-number', requires: ['loyalty-number'], weight: 1 },
  { rule: 'same-external-profile', requires: ['external-profile'], weight: 0.95 },
  // An email or phone alone is shared by people: a travel agent books many guests under the agency's
  // address, a household shares a phone and often a family name. It matches with the full name only
  // (`full-name`: the names agree as far as both give them), not a similar one: Soundex codes John, Jane
  // and Joan alike.
  { rule: 'same-email', requires: ['email', 'full-name'], weight: 0.9 },
  { rule: 'same-phone', requires: ['phone', 'full-name'], weight: 0.88 },
  // Weaker evidence: never applied automatically, only suggested for review.
  { rule: 'same-name-and-dob', requires: ['name-dob'], weight: 0.75 },
  { rule: 'email-only', requires: ['email'], weight: 0.7 },
  { rule: 'phone-only', requires: ['phone'], weight: 0.6 },
  { rule: 'similar-name', requires: ['similar-name'], weight: 0.55 },
];

export interface Thresholds {
  /** From this score a match is applied without review. */
  autoMerge: number;
  /** From this score (and below autoMerge) a match is suggested for review. */
  review: number;
}

export interface Candidate {
  guestId: string;
  /** The evidence of the incoming identity this guest's profile also has. */
  shared: ReadonlySet<EvidenceKind>;
  /**
   * The loyalty numbers the guest holds: one for a member, several once staff merged two members' profiles
   * (both numbers then lead to the survivor). Two members are never merged unreviewed.
   */
  loyaltyNumbers?: ReadonlySet<string>;
  /** The profiles staff declared not the same person as this one. */
  notSameAs?: ReadonlySet<string>;
}

export interface ScoredCandidate {
  guestId: string;
  rule: MatchRule;
  score: number;
}

export interface Resolution {
  /** The guest the identity belongs to, or undefined when a new profile is to be created. */
  matched?: ScoredCandidate;
  /** Other profiles strong enough to be merged into the matched one automatically. */
  merges: ScoredCandidate[];
  /** Profiles in the review band: suggested, never merged without a person deciding. */
  suggestions: ScoredCandidate[];
}

export function scoreCandidate(candidate: Candidate): ScoredCandidate | undefined {
  const rule = MATCH_RULES.find((r) => r.requires.every((kind) => candidate.shared.has(kind)));
  if (!rule) return undefined;
  return { guestId: candidate.guestId, rule: rule.rule, score: rule.weight };
}

const AUTOMATIC_RULES: ReadonlySet<MatchRule> = new Set([
  'same-loyalty-number',
  'same-external-profile',
  'same-email',
  'same-phone',
]);

/**
 * Decides on the candidates sharing any evidence with an identity. Only strong rules (loyalty number,
 * profile reference, email or phone with the full name) may match automatically, whatever the thresholds.
 * Another member's profile is never taken over, however strong the rest of the evidence (a spouse booking
 * with the shared email): what the identity is matched or merged with holds no loyalty number but the
 * member's, the incoming one or, when it brings none, those of the first member it takes in. Two candidates
 * that tie, and that staff declared different people, are neither matched nor merged: the identity could
 * be either. The others are suggested.
 */
export function resolveIdentity(
  candidates: readonly Candidate[],
  thresholds: Thresholds,
  loyaltyNumber?: string,
): Resolution {
  const scored = candidates
    .map((candidate) => ({ candidate, scored: scoreCandidate(candidate) }))
    .filter((c): c is { candidate: Candidate; scored: ScoredCandidate } => c.scored !== undefined)
    .sort((a, b) => b.scored.score - a.scored.score || a.scored.guestId.localeCompare(b.scored.guestId));

  // The numbers of the member the identity is, once known.
  let member: ReadonlySet<string> | undefined = loyaltyNumber ? new Set([loyaltyNumber]) : undefined;
  const anotherMember = ({ loyaltyNumbers: theirs }: Candidate): boolean => {
    const ours = member;
    return !!ours && !!theirs?.size && ![...theirs].some((number) => ours.has(number));
  };
  const strongEnough = (c: { candidate: Candidate; scored: ScoredCandidate }): boolean =>
    c.scored.score >= thresholds.autoMerge &&
    AUTOMATIC_RULES.has(c.scored.rule) &&
    !anotherMember(c.candidate);
  const contested = new Set(
    scored.filter(
      (c) =>
        strongEnough(c) &&
        scored.some(
          (other) =>
            other.scored.score === c.scored.score &&
            c.candidate.notSameAs?.has(other.scored.guestId) &&
            strongEnough(other),
        ),
    ),
  );
  const applicable = (c: { candidate: Candidate; scored: ScoredCandidate }): boolean =>
    strongEnough(c) && !contested.has(c);
  const take = (c: { candidate: Candidate }): void => {
    if (c.candidate.loyaltyNumbers?.size) member ??= c.candidate.loyaltyNumbers;
  };
  const best = scored.find(applicable);
  if (best) take(best);
  const matched = best?.scored;
  const merges: ScoredCandidate[] = [];
  const suggestions: ScoredCandidate[] = [];
  for (const c of scored) {
    if (c === best) continue;
    if (matched && applicable(c)) {
      merges.push(c.scored);
      take(c);
    } else if (c.scored.score >= thresholds.review) suggestions.push(c.scored);
  }
  return { matched, merges, suggestions };
}
