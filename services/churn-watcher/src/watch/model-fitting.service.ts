import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { fitBgNbd, type BgNbdFit } from '@loyalty/lifetime';
import { CHAIN_WIDE, isIdentifiedFit, localDaysAt } from '../domain';
import { ChurnWatcherConfig } from '../config/churn-watcher.config';
import { customersOnLocalDays, groupBy } from './guest-columns';
import { ModelStore, type StoredModel } from './model-store';
import { warnOfUnknownZone } from './unknown-zone';
import { VisitStore, type GuestRow } from './visit-store';

/**
 * Refits the BG/NBD models, on the guests who do not object to profiling: chain-wide always, and per segment
 * where the segment has enough guests, and enough of them with repeat stays. A fit the data cannot support is not saved: a segment then uses the
 * chain-wide model, and without a chain-wide fit the previous refit's models stay in use. Each guest's age
 * counts to the local date at their last stay's property, as the scan counts it: the model is fitted on the
 * ages it is then applied to.
 */
@Injectable()
export class ModelFittingService {
  private readonly logger = new Logger(ModelFittingService.name);

  constructor(
    private readonly visits: VisitStore,
    private readonly models: ModelStore,
    private readonly config: ChurnWatcherConfig,
  ) {}

  async refit(manager: EntityManager, now: Date): Promise<StoredModel[]> {
    const guests = await this.visits.guests(manager);
    // Without a single repeat visit the rate and dropout parameters cannot be told apart.
    if (!guests.some((guest) => guest.repeatVisits > 0)) return [];
    // One for the whole refit: each zone is worked out, and a zone the runtime does not know warned of, once.
    const dayIn = localDaysAt(now, warnOfUnknownZone(this.logger, 'the refit ages its guests'));
    const chainWide = fitOf(guests, dayIn);
    if (!chainWide) return [];
    const saved = [await this.models.save(manager, CHAIN_WIDE, chainWide, now)];
    for (const [segment, members] of groupBy(guests, (guest) => guest.segment)) {
      if (!this.hasEnoughHistory(members)) continue;
      const fit = fitOf(members, dayIn);
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
function fitOf(guests: readonly GuestRow[], dayIn: (timeZone: string) => number): BgNbdFit | undefined {
  const customers = customersOnLocalDays(guests, dayIn);
  const fit = fitBgNbd(customers);
  const meanAge = customers.T.reduce((sum, t) => sum + t, 0) / customers.T.length;
  return isIdentifiedFit(fit.parameters, meanAge) ? fit : undefined;
}
