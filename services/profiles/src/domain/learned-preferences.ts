// Preferences learned from what a guest actually books: a guest who takes a twin room four stays out
// of five wants a twin bed, whether or not they ever said so. Stated preferences always win.

import { PREFERENCE_GROUPS, type PreferenceGroup } from './preferences';

/** What a room type code says about the room, e.g. `STD-T` → bed: twin. */
export type RoomTypeTraits = Readonly<Record<string, readonly { group: PreferenceGroup; value: string }[]>>;

export interface LearningRule {
  /** How many of the guest's most recent stays are looked at. */
  recentStays: number;
  /** Stays that must show a trait of a group before anything is learned for it. */
  minimumEvidence: number;
  /** Share of those stays that must agree on one value. */
  minimumShare: number;
}

export const DEFAULT_LEARNING_RULE: LearningRule = {
  recentStays: 5,
  minimumEvidence: 3,
  minimumShare: 2 / 3,
};

export interface LearnedPreference {
  group: PreferenceGroup;
  value: string;
  /** Stays that showed the value, out of the stays that showed the group. */
  evidence: { agreeing: number; of: number };
}

/**
 * Parses `STD-K=bed:king,STD-T=bed:twin|floor:high`: each room type with its traits. Unknown groups or
 * values are refused here, at start-up, rather than learned into profiles.
 */
export function parseRoomTypeTraits(text: string): RoomTypeTraits {
  const traits: Record<string, { group: PreferenceGroup; value: string }[]> = {};
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [roomType, list] = item.split('=');
    if (!roomType || !list) throw new Error(`"${item}" is not ROOMTYPE=group:value`);
    traits[roomType.trim()] = list.split('|').map((pair) => {
      const [group, value] = pair.trim().split(':');
      const definition = PREFERENCE_GROUPS[group as PreferenceGroup];
      if (!definition || !(definition.values as readonly string[]).includes(value)) {
        throw new Error(`"${pair}" of room type ${roomType} is not a known preference`);
      }
      return { group: group as PreferenceGroup, value };
    });
  }
  return traits;
}

/** The preferences a guest's recent room types (newest first) support, one value per group at most. */
export function learnPreferences(
  roomTypesNewestFirst: readonly string[],
  traits: RoomTypeTraits,
  rule: LearningRule = DEFAULT_LEARNING_RULE,
): LearnedPreference[] {
  const counts = new Map<PreferenceGroup, Map<string, number>>();
  for (const roomType of roomTypesNewestFirst.slice(0, rule.recentStays)) {
    for (const { group, value } of traits[roomType] ?? []) {
      const values = counts.get(group) ?? new Map<string, number>();
      values.set(value, (values.get(value) ?? 0) + 1);
      counts.set(group, values);
    }
  }
  const learned: LearnedPreference[] = [];
  for (const [group, values] of counts) {
    const of = [...values.values()].reduce((sum, n) => sum + n, 0);
    const [value, agreeing] = [...values].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (of >= rule.minimumEvidence && agreeing / of >= rule.minimumShare) {
      learned.push({ group, value, evidence: { agreeing, of } });
    }
  }
  return learned.sort((a, b) => a.group.localeCompare(b.group));
}
