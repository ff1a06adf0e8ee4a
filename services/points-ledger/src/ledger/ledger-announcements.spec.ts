import { accountWith, at, T0 } from '../domain/ledger.fixtures';
import { announcementsOf } from './ledger-announcements';

describe('announcementsOf a merge', () => {
  it('should announce the points brought in as a system adjustment on the survivor, with its new balance', () => {
    const merge = accountWith(1_000, 'acc-a').mergeFrom(accountWith(700, 'acc-b'), at(1));
    expect(announcementsOf(merge, { guestId: 'acc-a' })).toEqual([
      {
        type: 'points-adjusted',
        data: expect.objectContaining({
          guestId: 'acc-a',
          pointsDelta: 700,
          balanceAfter: 1_700,
          adjustedBy: 'system',
          reason: 'Merged from another profile',
        }),
      },
    ]);
  });

  it('should announce nothing when the merged account brings no points', () => {
    const merge = accountWith(1_000, 'acc-a').mergeFrom(accountWith(0, 'acc-b'), at(1));
    expect(announcementsOf(merge, { guestId: 'acc-a' })).toEqual([]);
  });
});

describe('announcementsOf a confirmed hold', () => {
  const confirmed = accountWith(5_000)
    .hold(1_000, 'hold-1', 15, T0)
    .account.confirmHold('hold-1', T0, 'hold-1');

  it('should refuse to make up a reward when none was given', () => {
    expect(() => announcementsOf(confirmed, { guestId: 'g', propertyId: 'AMS01' })).toThrow(
      'announced without its reward',
    );
  });
});
