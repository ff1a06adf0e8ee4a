import { TIERS, type Tier } from '@loyalty/contracts';

/** NPS 0 to 6: a detractor. */
export function isDetractor(nps: number | undefined): boolean {
  return nps !== undefined && nps <= 6;
}

export function isDowngrade(from: Tier, to: Tier): boolean {
  return TIERS.indexOf(to) < TIERS.indexOf(from);
}

export function isUpgrade(from: Tier, to: Tier): boolean {
  return TIERS.indexOf(to) > TIERS.indexOf(from);
}

/** How far back a signal still counts as recent. */
export const RECENT_SIGNAL_DAYS = 180;
