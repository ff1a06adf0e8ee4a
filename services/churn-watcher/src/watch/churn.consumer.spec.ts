import type { EntityManager } from 'typeorm';
import type { Tier, ValidatedEvent } from '@loyalty/contracts';
import type { EventContext } from '@loyalty/messaging';
import type { Clock } from '@loyalty/platform';
import type { GuestTombstones } from '@loyalty/persistence';
import { ChurnConsumer } from './churn.consumer';
import type { GuestHistoryService } from './guest-history.service';
import type { SignalStore } from './signal-store';

const GUEST = '6f1c2b1e-0000-4000-8000-000000000001';
const at = (day: number) => new Date(Date.UTC(2031, 2, day, 9)).toISOString();

/** The signal store's rules over rows in memory: a row keeps the newer instant, as `on conflict` does. */
class SignalsInMemory {
  readonly rows = new Map<string, { kind: string; reference: string; at: string }>();

  async record(_m: EntityManager, _g: string, kind: string, reference: string, when: string) {
    const key = `${kind}/${reference}`;
    const before = this.rows.get(key);
    if (!before || before.at < when) this.rows.set(key, { kind, reference, at: when });
  }

  async newest(_m: EntityManager, _g: string, kinds: string[]) {
    const times = [...this.rows.values()].filter((row) => kinds.includes(row.kind)).map((row) => row.at);
    return times.length === 0 ? null : new Date(times.sort().at(-1)!);
  }

  async clear(_m: EntityManager, _g: string, kind: string) {
    for (const [key, row] of this.rows) if (row.kind === kind) this.rows.delete(key);
  }

  async clearUntil(_m: EntityManager, _g: string, kind: string, when: string) {
    for (const [key, row] of this.rows) if (row.kind === kind && row.at <= when) this.rows.delete(key);
  }

  of(kind: string): string[] {
    return [...this.rows.values()].filter((row) => row.kind === kind).map((row) => row.reference);
  }
}

function consumerOver(signals: SignalsInMemory): ChurnConsumer {
  const tombstones = {
    follow: async (_m: EntityManager, data: unknown[]) => data,
  } as unknown as GuestTombstones;
  return new ChurnConsumer(
    {} as GuestHistoryService,
    signals as unknown as SignalStore,
    tombstones,
    {} as Clock,
  );
}

const ctx = { manager: {} } as unknown as EventContext;

function answer(surveyId: string, nps: number, day: number) {
  const data = { guestId: GUEST, surveyId, nps, completedAt: at(day) };
  return { data } as unknown as ValidatedEvent<'survey-completed'>;
}

function tierChange(from: Tier, to: Tier, day: number) {
  const data = { guestId: GUEST, from, to, reason: 'requalification-missed', changedAt: at(day) };
  return { data } as unknown as ValidatedEvent<'tier-changed'>;
}

describe('ChurnConsumer signals', () => {
  it('should keep the newer promoter answer when an older detractor answer is handled after it', async () => {
    const signals = new SignalsInMemory();
    const consumer = consumerOver(signals);
    await consumer.onSurveysCompleted([answer('promoter', 10, 5)], ctx);
    await consumer.onSurveysCompleted([answer('detractor', 2, 3)], ctx);
    expect(signals.of('detractor')).toEqual([]);
  });

  it('should record a detractor answer newer than a promoter one', async () => {
    const signals = new SignalsInMemory();
    const consumer = consumerOver(signals);
    await consumer.onSurveysCompleted([answer('promoter', 10, 3), answer('detractor', 2, 5)], ctx);
    expect(signals.of('detractor')).toEqual(['detractor']);
  });

  it('should clear a tier downgrade when a later change moves the guest back up', async () => {
    const signals = new SignalsInMemory();
    const consumer = consumerOver(signals);
    await consumer.onTiersChanged([tierChange('gold', 'silver', 3), tierChange('silver', 'gold', 5)], ctx);
    expect(signals.of('tier-downgrade')).toEqual([]);
  });

  it('should not record a downgrade older than an upgrade handled before it', async () => {
    const signals = new SignalsInMemory();
    const consumer = consumerOver(signals);
    await consumer.onTiersChanged([tierChange('silver', 'gold', 5), tierChange('gold', 'silver', 3)], ctx);
    expect(signals.of('tier-downgrade')).toEqual([]);
  });

  it('should keep a downgrade newer than the last upgrade', async () => {
    const signals = new SignalsInMemory();
    const consumer = consumerOver(signals);
    await consumer.onTiersChanged([tierChange('silver', 'gold', 3), tierChange('gold', 'silver', 5)], ctx);
    expect(signals.of('tier-downgrade')).toEqual([`gold->silver@${at(5)}`]);
  });
});
