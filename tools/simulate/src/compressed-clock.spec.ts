import type { Delivery } from '@loyalty/simulator';
import { inBatches, onCompressedClock, type Clock } from './compressed-clock';

const delivery = (eventId: string, sentAt: string): Delivery => ({
  key: `P1:${eventId}`,
  value: '{}',
  eventId,
  sentAt,
  duplicate: false,
});

/** A clock that moves only when slept on, or when the test moves it. */
function fakeClock() {
  const clock = {
    t: 1_000_000,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock satisfies Clock;
}

async function collect(batches: AsyncIterable<{ deliveries: Delivery[]; simulatedAt: string }>) {
  const sent: { ids: string[]; simulatedAt: string }[] = [];
  for await (const batch of batches) {
    sent.push({ ids: batch.deliveries.map((d) => d.eventId), simulatedAt: batch.simulatedAt });
  }
  return sent;
}

describe('onCompressedClock', () => {
  it('should send each delivery when the compressed clock reaches its moment, keeping the simulator order', async () => {
    const clock = fakeClock();
    const deliveries = [
      delivery('a', '2025-01-01T11:00:00.000Z'),
      delivery('b', '2025-01-01T11:00:00.000Z'),
      delivery('c', '2025-01-02T11:00:00.000Z'),
      delivery('d', '2025-01-04T11:00:00.000Z'),
      // Held back by the simulator to arrive out of order: it follows d, it does not jump ahead of it.
      delivery('late', '2025-01-03T11:00:00.000Z'),
      delivery('e', '2025-01-06T11:00:00.000Z'),
    ];

    const sent = await collect(onCompressedClock(deliveries, 10, clock));

    expect(sent.map((s) => s.ids)).toEqual([['a', 'b'], ['c'], ['d', 'late'], ['e']]);
    // Ten simulated days a second: a day is 100 ms.
    expect(clock.sleeps).toEqual([100, 200, 200]);
    expect(sent.map((s) => s.simulatedAt)).toEqual([
      '2025-01-01T11:00:00.000Z',
      '2025-01-02T11:00:00.000Z',
      '2025-01-04T11:00:00.000Z',
      '2025-01-06T11:00:00.000Z',
    ]);
  });

  it('should gather what fell due while a slow send held it up into the next batch, not wait again', async () => {
    const clock = fakeClock();
    const deliveries = ['01', '02', '03', '04', '05'].map((day) =>
      delivery(day, `2025-01-${day}T00:00:00.000Z`),
    );
    const sent: string[][] = [];
    for await (const batch of onCompressedClock(deliveries, 10, clock)) {
      sent.push(batch.deliveries.map((d) => d.eventId));
      if (sent.length === 1) clock.t += 350; // the platform took 3.5 simulated days to take the first
    }
    expect(sent).toEqual([['01'], ['02', '03', '04'], ['05']]);
    expect(clock.sleeps).toEqual([50]);
  });

  it('should never put more than 500 deliveries in one batch', async () => {
    const deliveries = Array.from({ length: 1_200 }, (_, i) => delivery(`e${i}`, '2025-01-01T00:00:00.000Z'));
    const sent = await collect(onCompressedClock(deliveries, 1, fakeClock()));
    expect(sent.map((s) => s.ids.length)).toEqual([500, 500, 200]);
    expect(sent.flatMap((s) => s.ids)).toEqual(deliveries.map((d) => d.eventId));
  });

  it('should refuse a clock that does not move forward', async () => {
    await expect(collect(onCompressedClock([delivery('a', '2025-01-01T00:00:00Z')], 0))).rejects.toThrow(
      'days per second must be above 0 (got 0)',
    );
  });
});

describe('inBatches', () => {
  it('should send everything at once in batches of at most 500, in order', () => {
    const deliveries = Array.from({ length: 1_001 }, (_, i) =>
      delivery(`e${i}`, new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()),
    );
    const batches = [...inBatches(deliveries)];
    expect(batches.map((b) => b.deliveries.length)).toEqual([500, 500, 1]);
    expect(batches.flatMap((b) => b.deliveries)).toEqual(deliveries);
    expect(batches[2].simulatedAt).toBe(deliveries[1_000].sentAt);
  });
});
