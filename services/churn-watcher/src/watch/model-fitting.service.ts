import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { asCustomers, dayNumber, fitBgNbd, type BgNbdFit } from '@loyalty/lifetime';
import { CHAIN_WIDE, isIdentifiedFit } from '../domain';
import { ChurnWatcherConfig } from '../config/churn-watcher.config';
import { groupBy, visitColumns } from './guest-columns';
import { ModelStore, type StoredModel } from './model-store';
import { VisitStore, type GuestRow } from './visit-store';

/**
 * Refits the BG/NBD models: chain-wide always, and per segment where the segment has enough guests, and
 * enough of them with repeat stays. A fit the data cannot support is not saved: a segment then uses the
 * chain-wide model, and without a chain-wide fit the previous refit's models stay in use.
 */
@Injectable()
export class ModelFittingService {
  constructor(
    private readonly visits: VisitStore,
    private readonly models: ModelStore,
    private readonly config: ChurnWatcherConfig,
  ) {}

  async refit(manager: EntityManager, now: Date): Promise<StoredModel[]> {
    const guests = await this.visits.guests(manager);
    // Without a single repeat visit the rate and dropout parameters cannot be told apart.
    if (!guests.some((guest) => guest.repeatVisits > 0)) return [];
    const chainWide = fitOf(guests, now);
    if (!chainWide) return [];
    const saved = [await this.models.save(manager, CHAIN_WIDE, chainWide, now)];
    for (const [segment, members] of groupBy(guests, (guest) => guest.segment)) {
      if (!this.hasEnoughHistory(members)) continue;
      const fit = fitOf(members, now);
      if (fit) saved.push(await this.models.save(manager, segment, fit, now));
    }
    return saved;
  }

  private hasEnoughHistory(members: readonly GuestRow[]): boolean {
    const repeatGuests = members.filter((guest) => guest.repeatVisits > 0).length;
    return (
      members.length >= this.config.CHURN_MIN_SEGMENT_GUESTS &&
      repeatGuests >= this.config.CHURN_MIN_SEGMENT_REPEAT_GUESTS
    );
  }
}

/** The guests' fit, or undefined where it ends at the optimiser's bounds rather than on the data. */
function fitOf(guests: readonly GuestRow[], now: Date): BgNbdFit | undefined {
  // Ages to the UTC date: a fit of the whole chain is not moved by a day more or less for the guests far
  // from UTC. The scan, which judges each guest, counts to the local date of their last stay.
  const customers = asCustomers(visitColumns(guests), dayNumber(now));
  const fit = fitBgNbd(customers);
  const meanAge = customers.T.reduce((sum, t) => sum + t, 0) / customers.T.length;
  return isIdentifiedFit(fit.parameters, meanAge) ? fit : undefined;
}
