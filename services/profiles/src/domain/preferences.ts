// Guest preferences: a fixed vocabulary in groups, each with how many values a guest may hold at once.

export const PREFERENCE_GROUPS = {
  smoking: { values: ['smoking', 'non-smoking'], min: 1, max: 1 },
  bed: { values: ['king', 'queen', 'twin', 'double'], min: 0, max: 1 },
  floor: { values: ['high', 'low', 'near-lift', 'away-from-lift'], min: 0, max: 2 },
  pillow: { values: ['feather', 'foam', 'hypoallergenic', 'firm', 'soft'], min: 0, max: 2 },
  dietary: {
    values: ['vegetarian', 'vegan', 'gluten-free', 'lactose-free', 'halal', 'kosher', 'nut-allergy'],
    min: 0,
    max: 7,
  },
  accessibility: {
    values: ['wheelchair', 'hearing', 'visual', 'step-free', 'roll-in-shower'],
    min: 0,
    max: 5,
  },
  specials: {
    values: ['late-checkout', 'early-checkin', 'quiet-room', 'extra-towels', 'crib'],
    min: 0,
    max: 5,
  },
} as const;

export type PreferenceGroup = keyof typeof PREFERENCE_GROUPS;
/** Staff state a preference; stays teach the learned ones. */
export type PreferenceSource = 'stated' | 'learned';

export interface PreferenceSelection {
  group: string;
  values: string[];
}

/** Reasons a selection is refused; empty when it is valid. */
export function validatePreferences(selections: readonly PreferenceSelection[]): string[] {
  const problems: string[] = [];
  for (const { group, values } of selections) {
    const definition = (
      PREFERENCE_GROUPS as Record<string, { values: readonly string[]; min: number; max: number }>
    )[group];
    if (!definition) {
      problems.push(`unknown preference group "${group}"`);
      continue;
    }
    const unknown = values.filter((v) => !definition.values.includes(v));
    if (unknown.length) problems.push(`${group}: unknown value(s) ${unknown.join(', ')}`);
    const distinct = new Set(values).size;
    if (distinct < definition.min || distinct > definition.max) {
      problems.push(
        definition.min === definition.max
          ? `${group}: exactly ${definition.min} value(s) required, got ${distinct}`
          : `${group}: between ${definition.min} and ${definition.max} value(s) allowed, got ${distinct}`,
      );
    }
  }
  return problems;
}

export const CONSENT_PURPOSES = ['marketing', 'surveys', 'profiling', 'partner-offers'] as const;
export const CONSENT_CHANNELS = ['email', 'sms', 'phone', 'post', 'app'] as const;
/** How staff captured a consent; who captured it is the token's subject, never something the body says. */
export const CONSENT_CAPTURE_CHANNELS = [
  'front-desk',
  'phone-call',
  'paper-form',
  'email',
  'web',
  'app',
] as const;
