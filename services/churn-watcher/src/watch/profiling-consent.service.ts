import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GuestTombstones } from '@loyalty/persistence';
import { consentsAfterNews, objectsToProfiling, type ProfilingConsentNews } from '../domain';
import { EpisodeStore, OBJECTED_TO_PROFILING } from './episode-store';
import { ProfilingConsentStore } from './profiling-consent-store';
import { VisitStore } from './visit-store';

/**
 * Keeps whether each guest allows profiling as profiles' news of it arrives. A guest who objects is left
 * out of the scan and the refit, and their open episode is closed, without an event: the alert stood on
 * the profiling they objected to, and no stay ended it. Consent given again lets the next scan judge them.
 */
@Injectable()
export class ProfilingConsentService {
  constructor(
    private readonly tombstones: GuestTombstones,
    private readonly consents: ProfilingConsentStore,
    private readonly visits: VisitStore,
    private readonly episodes: EpisodeStore,
  ) {}

  /**
   * Applies a run of news in its order (`consentsAfterNews`), each under the guest its id now belongs to;
   * an erased guest's news is dropped. The guests' keys, taken by `GuestTombstones`, are held until the
   * commit, as by every writer of their consents.
   */
  async hear(manager: EntityManager, news: readonly ProfilingConsentNews[], now: Date): Promise<void> {
    if (news.length === 0) return;
    const living = await this.tombstones.follow(manager, news);
    const held = await this.consents.read(
      manager,
      living.map((item) => item.guestId),
    );
    const consents = consentsAfterNews(held, living);
    await this.consents.write(manager, consents);
    const objecting = [...consents].filter(([, consent]) => objectsToProfiling(consent)).map(([id]) => id);
    if (objecting.length === 0) return;
    // The summaries first, in id order as the scan locks them: a scan holding one has opened its episode
    // (read below once it commits), and one locking it after this commits reads the objection.
    await this.visits.lockSummaries(manager, objecting);
    const open = await this.episodes.lockOpen(manager, objecting);
    await this.episodes.close(
      manager,
      [...open.values()].map((episode) => ({ id: episode.id, closedBy: OBJECTED_TO_PROFILING })),
      now,
    );
  }
}
