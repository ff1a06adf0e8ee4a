import type { EventData, REWARD_KINDS } from '@loyalty/contracts';
import { SeededRandom } from '@loyalty/simulator';
import type { LoggedEvent } from './chain-summary';
import { recordedStays } from './event-log';
import { staffApi } from './staff-api';
import { staffToken } from './staff-token';

export interface Reward {
  kind: (typeof REWARD_KINDS)[number];
  reference: string;
  points: number;
}

/** The simulated chain's reward catalogue, dearest first. */
export const REWARDS: readonly Reward[] = [
  { kind: 'free-night', reference: 'RWD-FN-STD', points: 25_000 },
  { kind: 'room-upgrade', reference: 'RWD-UPG-SUITE', points: 10_000 },
  { kind: 'food-and-beverage', reference: 'RWD-FB-50', points: 5_000 },
];

/** A guest the seed chose to redeem, where they would use the reward. */
export interface Redeemer {
  guestId: string;
  propertyId: string;
  /** The least `propertyId:reservationId` of their stays: names the guest the same way in every run. */
  key: string;
}

/**
 * The guests of the recorded stays who try to redeem: each with probability `share`, drawn in the order
 * of their keys, so the same seed chooses the same guests whatever ids profiles minted and whatever order
 * the stays were read in. Each would use the reward at the property of their latest stay.
 */
export function chooseRedeemers(
  stays: readonly EventData<'stay-recorded'>[],
  options: { seed: number; share: number },
): Redeemer[] {
  const byGuest = new Map<
    string,
    { first: EventData<'stay-recorded'>; latest: EventData<'stay-recorded'> }
  >();
  const keyOf = (stay: EventData<'stay-recorded'>) => `${stay.propertyId}:${stay.reservationId}`;
  for (const stay of stays) {
    const seen = byGuest.get(stay.guestId);
    if (!seen) byGuest.set(stay.guestId, { first: stay, latest: stay });
    else {
      if (keyOf(stay) < keyOf(seen.first)) seen.first = stay;
      const later =
        stay.departure.localeCompare(seen.latest.departure) || keyOf(stay).localeCompare(keyOf(seen.latest));
      if (later > 0) seen.latest = stay;
    }
  }
  const random = new SeededRandom(options.seed);
  return [...byGuest]
    .map(([guestId, { first, latest }]) => ({ guestId, propertyId: latest.propertyId, key: keyOf(first) }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .filter(() => random.chance(options.share));
}

/** The dearest reward `available` points pay for, if any. */
export function dearestAffordable(available: number): Reward | undefined {
  return REWARDS.find((reward) => reward.points <= available);
}

/**
 * Plays the members who spend their points: each chosen guest who can afford a reward holds its points
 * and confirms the hold over the ledger's HTTP API, as a front desk would. Answers what was redeemed.
 */
export async function redeemRewards(
  ledgerUrl: string,
  log: LoggedEvent[],
  options: { seed: number; share: number; prefix: string },
): Promise<{ rewards: number; points: number }> {
  const call = staffApi('the ledger', ledgerUrl, staffToken('front-desk'));
  let rewards = 0;
  let points = 0;
  for (const redeemer of chooseRedeemers(recordedStays(log, options.prefix), options)) {
    const account = `/accounts/${redeemer.guestId}`;
    const { available } = await call<{ available: number }>('GET', account);
    const reward = dearestAffordable(available);
    if (!reward) continue;
    const { holdId } = await call<{ holdId: string }>(
      'POST',
      `${account}/holds`,
      { points: reward.points, propertyId: redeemer.propertyId },
      `simulator-${options.seed}-redeem-${redeemer.key}`,
    );
    await call('POST', `${account}/holds/${holdId}/confirm`, {
      reward: { kind: reward.kind, reference: reward.reference },
      propertyId: redeemer.propertyId,
    });
    rewards++;
    points += reward.points;
  }
  process.stderr.write(`redeemed  ${rewards} rewards for ${points} points\n`);
  return { rewards, points };
}
