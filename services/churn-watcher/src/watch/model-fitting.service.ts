import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { asCustomers, dayNumber, fitBgNbd } from '@loyalty/lifetime';
import { CHAIN_WIDE } from '../domain';
import { ChurnWatcherConfig } from '../config/churn-watcher.config';
import { groupBy, visitColumns } from './guest-columns';
import { ModelStore, type StoredModel } from './model-store';
import { VisitStore, type GuestRow } from './visit-store';

/** Refits the BG/NBD models: chain-wide always, and per segment where the segment has enough guests. */
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
    const saved = [await this.fitAndSave(manager, CHAIN_WIDE, guests, now)];
    for (const [segment, members] of groupBy(guests, (guest) => guest.segment)) {
      if (members.length >= this.config.CHURN_MIN_SEGMENT_GUESTS) {
        saved.push(await this.fitAndSave(manager, segment, members, now));
      }
    }
    return saved;
  }

  private fitAndSave(
    manager: EntityManager,
    segment: string,
    guests: GuestRow[],
    now: Date,
  ): Promise<StoredModel> {
    const fit = fitBgNbd(asCustomers(visitColumns(guests), dayNumber(now)));
    return this.models.save(manager, segment, fit, now);
  }
}
