import { PROGRAM_CURRENCY, USD_PER_UNIT } from '@loyalty/reference-data';
import type { ProgramRules } from './program-rules';

// A realistic starting program. Rates are the chain's shared snapshot (@loyalty/reference-data); production loads rates and promotions from
// configuration, and `validateProgram` checks whatever is loaded.

export const DEFAULT_PROGRAM: ProgramRules = {
  programCurrency: PROGRAM_CURRENCY,
  exchangeRates: USD_PER_UNIT,
  brands: {
    grand: { id: 'grand', name: 'Grand Hotels', basePointsPerUnit: '10' },
    urban: { id: 'urban', name: 'Urban by Grand', basePointsPerUnit: '10' },
    'stay-extended': { id: 'stay-extended', name: 'Stay Extended', basePointsPerUnit: '5' },
  },
  properties: {
    'grand-paris': { id: 'grand-paris', brandId: 'grand', currency: 'EUR', foodAndBeverageQualifies: true },
    'grand-tokyo': { id: 'grand-tokyo', brandId: 'grand', currency: 'JPY', foodAndBeverageQualifies: true },
    'grand-new-york': {
      id: 'grand-new-york',
      brandId: 'grand',
      currency: 'USD',
      foodAndBeverageQualifies: true,
    },
    'urban-shanghai': {
      id: 'urban-shanghai',
      brandId: 'urban',
      currency: 'CNY',
      foodAndBeverageQualifies: false,
    },
    'urban-london': { id: 'urban-london', brandId: 'urban', currency: 'GBP', foodAndBeverageQualifies: true },
    'stay-extended-austin': {
      id: 'stay-extended-austin',
      brandId: 'stay-extended',
      currency: 'USD',
      foodAndBeverageQualifies: false,
    },
    'stay-extended-berlin': {
      id: 'stay-extended-berlin',
      brandId: 'stay-extended',
      currency: 'EUR',
      foodAndBeverageQualifies: false,
    },
  },
  // Third-party sellers keep the guest relationship (and the margin), so their bookings earn nothing and,
  // as at most chains, do not count towards status either.
  channels: { nonEarning: ['ota', 'wholesale'], nonEarningCountsForQualification: false },
  tiers: [
    { id: 'member', name: 'Member', thresholds: {}, bonusPercent: 0 },
    {
      id: 'silver',
      name: 'Silver',
      thresholds: { nights: 10, stays: 5, basePoints: 10_000 },
      bonusPercent: 10,
    },
    { id: 'gold', name: 'Gold', thresholds: { nights: 25, stays: 12, basePoints: 25_000 }, bonusPercent: 25 },
    {
      id: 'platinum',
      name: 'Platinum',
      thresholds: { nights: 50, stays: 24, basePoints: 50_000 },
      bonusPercent: 50,
    },
    {
      id: 'titanium',
      name: 'Titanium',
      thresholds: { nights: 75, stays: 36, basePoints: 75_000 },
      bonusPercent: 75,
    },
  ],
  qualificationWindow: { kind: 'calendar-year' },
  downgradePolicy: 'drop-one-tier',
  promotions: [
    {
      id: 'spring-double-2026',
      name: 'Double points this spring',
      priority: 10,
      startDate: '2026-03-01',
      endDate: '2026-05-31',
      brandIds: ['grand', 'urban'],
      minNights: 2,
      award: { kind: 'multiplier', multiplier: '2' },
      limit: { maxAwards: 3, period: 'promotion' },
    },
    {
      id: 'long-stay-bonus',
      name: '2,000 bonus points for a week or more',
      priority: 20,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      brandIds: ['stay-extended'],
      minNights: 7,
      award: { kind: 'fixed', points: 2_000 },
      limit: { maxAwards: 1, period: 'calendar-month' },
    },
    {
      id: 'paris-summer-2026',
      name: 'Paris summer welcome',
      priority: 30,
      startDate: '2026-06-01',
      endDate: '2026-08-31',
      propertyIds: ['grand-paris'],
      award: { kind: 'fixed', points: 1_500 },
      exclusive: true,
      limit: { maxAwards: 1, period: 'calendar-year' },
    },
  ],
  milestones: [{ id: 'every-10-nights-from-40', metric: 'nights', startAt: 40, every: 10, points: 10_000 }],
  lockPeriodDays: 3,
  holdTtlMinutes: 15,
  expiry: {
    lot: { months: 24, exemptTierIds: ['platinum', 'titanium'] },
    inactivity: { months: 24, exemptTierIds: ['gold', 'platinum', 'titanium'] },
    warningDays: 30,
  },
  adjustmentCaps: {
    'chain-admin': 1_000_000,
    'property-manager': 50_000,
    'front-desk': 5_000,
    analyst: 0,
    service: 20_000,
  },
  dailyAdjustmentLimits: {
    'chain-admin': 5_000_000,
    'property-manager': 250_000,
    'front-desk': 25_000,
    analyst: 0,
    service: 100_000,
  },
  rounding: { currencyConversion: 'half-up', points: 'floor' },
};
