import { Identifier, Nested, OneOf, Optional, PositiveInt, Text } from '../../common/decorators';
import { LedgerEntryFields } from './ledger-entry.fields';

export const REWARD_KINDS = [
  'free-night',
  'room-upgrade',
  'food-and-beverage',
  'partner',
  'voucher',
] as const;

export class RewardDto {
  /** What kind of reward. */
  @OneOf(REWARD_KINDS)
  kind: (typeof REWARD_KINDS)[number];

  /** The reward's id in the reward catalogue or the partner's system. */
  @Text(100)
  reference: string;
}

export class PointsRedeemedV1 extends LedgerEntryFields {
  /** Points debited. */
  @PositiveInt()
  points: number;

  /** What the points were spent on. */
  @Nested(() => RewardDto)
  reward: RewardDto;

  /** The property where the reward is used, if it is used at one. */
  @Optional()
  @Identifier()
  propertyId?: string;
}
