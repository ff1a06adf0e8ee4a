import type { Money } from './currency';
import {
  inProgramCurrency,
  pointsOnRevenue,
  qualifyingRevenueOf,
  requireProperty,
  rulesFor,
  type StayRevenue,
} from './earning';
import type { ProgramRules } from './program-rules';

/** What revenue added to a credited stay earns. */
export interface TopUpResult {
  readonly stayKey: string;
  /** The added qualifying revenue, in program-currency minor units. */
  readonly qualifyingRevenue: Money;
  /**
   * The same revenue in the property's currency, as the stay counts its revenue
   * (`AdjustableStay.qualifyingRevenueMinor`): what a refund can take back from the top-up (`reverseStay`).
   */
  readonly stayRevenueMinor: number;
  readonly basePoints: number;
  readonly tierBonus: number;
  readonly total: number;
}

/**
 * Points for qualifying revenue added to a stay after it was credited (a correction upwards, a late
 * charge): base points and the tier bonus on the added revenue, at the guest's tier now, rounded like an
 * earn. Promotions and milestones are not run again: they were decided with the stay, on its dates,
 * nights and per-guest limits, which a revenue change does not move. A stay booked through a channel
 * that earns nothing earns nothing more.
 */
export function calculateTopUp(
  stay: { readonly stayKey: string; readonly propertyId: string; readonly earning: boolean },
  revenueAdded: StayRevenue,
  tierId: string,
  program: ProgramRules,
): TopUpResult {
  const added = qualifyingRevenueOf(revenueAdded, requireProperty(program, stay.propertyId));
  return topUpOnQualifyingRevenue(stay, added.amountMinor, tierId, program);
}

/**
 * `calculateTopUp` of qualifying revenue already told apart from the rest, in the property's currency: what
 * a charge earns when only part of it takes the stay's revenue above what it had.
 */
export function topUpOnQualifyingRevenue(
  stay: { readonly stayKey: string; readonly propertyId: string; readonly earning: boolean },
  qualifyingRevenueMinor: number,
  tierId: string,
  program: ProgramRules,
): TopUpResult {
  const { property, brand, tier } = rulesFor(program, stay.propertyId, tierId);
  const qualifyingRevenue = inProgramCurrency(
    { amountMinor: qualifyingRevenueMinor, currency: property.currency },
    program,
  );
  const revenue = { stayKey: stay.stayKey, qualifyingRevenue, stayRevenueMinor: qualifyingRevenueMinor };
  if (!stay.earning || qualifyingRevenue.amountMinor <= 0) {
    return { ...revenue, basePoints: 0, tierBonus: 0, total: 0 };
  }
  const { basePoints, tierBonus } = pointsOnRevenue(qualifyingRevenue, brand, tier, program.rounding.points);
  return { ...revenue, basePoints, tierBonus, total: basePoints + tierBonus };
}

/**
 * What a credited stay counts towards tiers once the property corrects its nights (`stay-adjusted` v2):
 * the nights as corrected, and the stay itself while any are left. A stay booked through a channel that
 * does not count for qualification counts for nothing, whatever its nights. Points are not moved here:
 * they follow revenue. Milestone bonuses the stay's nights reached are kept, like points already spent.
 */
export function requalifiedNights(
  stay: { readonly earning: boolean },
  nights: number,
  program: ProgramRules,
): { nights: number; stays: number } {
  const counts = stay.earning || program.channels.nonEarningCountsForQualification;
  return counts ? { nights, stays: nights > 0 ? 1 : 0 } : { nights: 0, stays: 0 };
}
