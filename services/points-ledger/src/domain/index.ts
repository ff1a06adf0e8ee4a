// The points-ledger domain: pure rules, no Nest, no TypeORM, no clock of its own.
export * from './account';
export type {
  AccountSnapshot,
  AccountStatus,
  Balances,
  Hold,
  HoldState,
  StaffAtProperty,
} from './account-snapshot';
export type { AdjustmentRequest } from './adjustment';
export { assertWithinCap, assertWithinDailyLimit } from './adjustment';
export * from './calendar';
export * from './currency';
export * from './decimal';
export { DEFAULT_PROGRAM } from './default-program';
export * from './earning';
export { lastActivityDueBy, type ExpiringPoints } from './expiry';
export * from './invariants';
export * from './ledger-entry';
export * from './ledger-error';
export type * from './ledger-events';
export * from './lots';
export { mergeQualifyingYears, type MergedYears } from './merge';
export * from './milestones';
export type * from './program-rules';
export type { RedemptionAudit } from './redemption';
export type { RefundShare } from './reversal';
export { validateProgram } from './program-validation';
export * from './promotions';
export * from './stay-adjustment';
export * from './stay-top-up';
export * from './tier-progress';
export * from './tiers';
export type { PointsTransfer, TransferStaff } from './transfer';
