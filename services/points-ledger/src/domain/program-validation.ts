import type { Role } from '@loyalty/auth';
import { parseLocalDate } from './calendar';
import { isKnownCurrency } from './currency';
import { isDecimal, parseDecimal, ZERO } from './decimal';
import type { ProgramRules, TierThresholds } from './program-rules';

// Run once when the program is loaded: a bad program must stop start-up, not surface as a wrong balance.

const METRICS: readonly (keyof TierThresholds)[] = ['nights', 'stays', 'basePoints'];

const isWholeNumber = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;

function isLocalDate(value: string): boolean {
  try {
    parseLocalDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Every problem found in the program, as readable sentences; empty when the program is usable. */
export function validateProgram(program: ProgramRules): string[] {
  return [
    ...checkMoney(program),
    ...checkTiers(program),
    ...checkPromotions(program),
    ...checkPolicies(program),
  ];
}

function checkMoney(program: ProgramRules): string[] {
  const problems: string[] = [];
  if (!isKnownCurrency(program.programCurrency))
    problems.push(`program currency ${program.programCurrency} is unknown`);
  for (const [currency, rate] of Object.entries(program.exchangeRates)) {
    if (!isKnownCurrency(currency)) problems.push(`exchange rate for unknown currency ${currency}`);
    if (!isDecimal(rate) || parseDecimal(rate).numerator === ZERO)
      problems.push(`exchange rate ${currency} '${rate}' is not a positive decimal`);
  }
  for (const brand of Object.values(program.brands)) {
    if (!isDecimal(brand.basePointsPerUnit))
      problems.push(`brand ${brand.id} base rate '${brand.basePointsPerUnit}' is not a decimal`);
  }
  for (const property of Object.values(program.properties)) {
    if (!program.brands[property.brandId])
      problems.push(`property ${property.id} has unknown brand ${property.brandId}`);
    const hasRate =
      property.currency === program.programCurrency || program.exchangeRates[property.currency] !== undefined;
    if (!isKnownCurrency(property.currency) || !hasRate) {
      problems.push(
        `property ${property.id} bills in ${property.currency}, which has no rate to ${program.programCurrency}`,
      );
    }
  }
  return problems;
}

function checkTiers(program: ProgramRules): string[] {
  const problems: string[] = [];
  const [base, ...ladder] = program.tiers;
  if (!base) return ['the program has no tiers'];
  if (METRICS.some((metric) => base.thresholds[metric] !== undefined))
    problems.push(`base tier ${base.id} must have no thresholds`);
  const ids = new Set(program.tiers.map((tier) => tier.id));
  if (ids.size !== program.tiers.length) problems.push('tier ids must be unique');
  let previous = base;
  for (const tier of ladder) {
    if (METRICS.every((metric) => tier.thresholds[metric] === undefined))
      problems.push(`tier ${tier.id} has no threshold`);
    for (const metric of METRICS) {
      const value = tier.thresholds[metric];
      const below = previous.thresholds[metric];
      if (value !== undefined && (!isWholeNumber(value) || value === 0))
        problems.push(`tier ${tier.id} ${metric} must be a positive integer`);
      if (value !== undefined && below !== undefined && value <= below)
        problems.push(`tier ${tier.id} ${metric} must exceed ${previous.id}'s`);
    }
    previous = tier;
  }
  for (const tier of program.tiers) {
    if (!isWholeNumber(tier.bonusPercent)) problems.push(`tier ${tier.id} bonus must be a whole percentage`);
  }
  return problems;
}

function checkPromotions(program: ProgramRules): string[] {
  const problems: string[] = [];
  for (const promotion of program.promotions) {
    const label = `promotion ${promotion.id}`;
    if (!isLocalDate(promotion.startDate) || !isLocalDate(promotion.endDate))
      problems.push(`${label} has a malformed date`);
    else if (promotion.endDate < promotion.startDate) problems.push(`${label} ends before it starts`);
    const { award } = promotion;
    if (award.kind === 'fixed' && (!isWholeNumber(award.points) || award.points === 0))
      problems.push(`${label} fixed award must be a positive integer`);
    if (award.kind === 'multiplier' && (!isDecimal(award.multiplier) || Number(award.multiplier) < 1)) {
      problems.push(`${label} multiplier must be a decimal of at least 1`);
    }
    if (promotion.limit && (!isWholeNumber(promotion.limit.maxAwards) || promotion.limit.maxAwards === 0)) {
      problems.push(`${label} limit must be a positive integer`);
    }
    for (const brandId of promotion.brandIds ?? [])
      if (!program.brands[brandId]) problems.push(`${label} names unknown brand ${brandId}`);
    for (const propertyId of promotion.propertyIds ?? []) {
      if (!program.properties[propertyId]) problems.push(`${label} names unknown property ${propertyId}`);
    }
  }
  if (new Set(program.promotions.map((promotion) => promotion.id)).size !== program.promotions.length)
    problems.push('promotion ids must be unique');
  for (const milestone of program.milestones) {
    const every = milestone.every ?? 1;
    if (
      !isWholeNumber(milestone.startAt) ||
      milestone.startAt === 0 ||
      !isWholeNumber(every) ||
      every === 0
    ) {
      problems.push(`milestone ${milestone.id} thresholds must be positive integers`);
    }
    if (!isWholeNumber(milestone.points))
      problems.push(`milestone ${milestone.id} points must be a whole number`);
  }
  return problems;
}

function checkPolicies(program: ProgramRules): string[] {
  const problems: string[] = [];
  const tierIds = new Set(program.tiers.map((tier) => tier.id));
  if (!isWholeNumber(program.lockPeriodDays)) problems.push('lock period must be a whole number of days');
  if (!isWholeNumber(program.holdTtlMinutes) || program.holdTtlMinutes === 0)
    problems.push('hold TTL must be a positive number of minutes');
  if (program.qualificationWindow.kind === 'rolling' && !(program.qualificationWindow.months > 0))
    problems.push('rolling window needs months');
  for (const [name, rule] of Object.entries({
    lot: program.expiry.lot,
    inactivity: program.expiry.inactivity,
  })) {
    if (rule && (!isWholeNumber(rule.months) || rule.months === 0))
      problems.push(`${name} expiry months must be a positive integer`);
    for (const tierId of rule?.exemptTierIds ?? [])
      if (!tierIds.has(tierId)) problems.push(`${name} expiry exempts unknown tier ${tierId}`);
  }
  if (!isWholeNumber(program.expiry.warningDays)) problems.push('warning days must be a whole number');
  for (const [role, cap] of Object.entries(program.adjustmentCaps)) {
    if (!isWholeNumber(cap)) problems.push(`adjustment cap for ${role} must be a whole number`);
  }
  for (const [role, limit] of Object.entries(program.dailyAdjustmentLimits)) {
    const cap = program.adjustmentCaps[role as Role];
    if (!isWholeNumber(limit)) problems.push(`daily adjustment limit for ${role} must be a whole number`);
    else if (limit < cap)
      problems.push(`daily adjustment limit for ${role} is below its cap of ${cap} a request`);
  }
  return problems;
}
