import { balancesAfterEachCredit } from './flat-earning';

describe('balancesAfterEachCredit', () => {
  it('should give each credit the balance right after it when one guest earns twice in a batch', () => {
    const credits = [
      { stayId: 's1', guestId: 'g1', points: 100 },
      { stayId: 's2', guestId: 'g2', points: 100 },
      { stayId: 's3', guestId: 'g1', points: 100 },
    ];
    expect(
      balancesAfterEachCredit(
        credits,
        new Map([
          ['g1', 700],
          ['g2', 100],
        ]),
      ),
    ).toEqual([600, 100, 700]);
  });
});
