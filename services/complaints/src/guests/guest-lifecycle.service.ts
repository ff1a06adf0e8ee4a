import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ComplaintHistory } from '../complaints/complaint-history';
import { SYSTEM_ACTOR } from '../complaints/complaint-record';
import { ComplaintStore } from '../complaints/complaint-store';
import { GuestFacts } from './guest-facts.store';

/** Profiles merged two guests or erased one: complaints follows, and the audit trail says so. */
@Injectable()
export class GuestLifecycle {
  constructor(
    private readonly complaints: ComplaintStore,
    private readonly facts: GuestFacts,
    private readonly history: ComplaintHistory,
  ) {}

  /**
   * The merged guest's complaints, stays and tier move to the final survivor. A survivor erased meanwhile
   * (merges are keyed by survivor, so they can be handled after its erasure) erases what it was given.
   */
  async merge(manager: EntityManager, survivorId: string, mergedId: string, now: Date): Promise<void> {
    const survivor = await this.facts.merge(manager, survivorId, mergedId);
    for (const complaint of await this.complaints.ofGuest(manager, mergedId)) {
      const moved = { ...complaint, guestId: survivor.guestId };
      const change = { before: complaint, after: moved, actor: SYSTEM_ACTOR, at: now };
      await this.history.save(manager, { ...change, action: 'guest-merged' });
    }
    if (survivor.erased) await this.dropText(manager, survivor.guestId, now);
  }

  /**
   * Drops the free text the guest may have written or staff wrote about them. The complaints themselves
   * stay, under the opaque guest id, so the chain's figures do not change; the audit trail never held text
   * (the reasons given beside it are blanked), and says when each complaint's text went.
   */
  async erase(manager: EntityManager, guestId: string, now: Date): Promise<void> {
    await this.facts.erase(manager, guestId, now);
    await this.dropText(manager, guestId, now);
  }

  private async dropText(manager: EntityManager, guestId: string, now: Date): Promise<void> {
    // One erased before (a merge into an erased survivor erases only what it brings) has no text to drop.
    for (const complaint of await this.complaints.ofGuest(manager, guestId, { unerasedOnly: true })) {
      const withoutText = { ...complaint, description: null, resolutionNote: null };
      const change = { before: complaint, after: withoutText, actor: SYSTEM_ACTOR, at: now };
      await this.history.save(manager, { ...change, action: 'guest-erased' });
    }
    await manager.query('update complaints set erased_at = $2 where guest_id = $1 and erased_at is null', [
      guestId,
      now,
    ]);
    await manager.query(
      `update compensations set note = null, decline_reason = null
       where complaint_id in (select id from complaints where guest_id = $1)`,
      [guestId],
    );
    await manager.query(
      `update complaint_reasons set reason = null where audit_id in (
         select a.id from complaint_audit a join complaints c on c.id = a.complaint_id where c.guest_id = $1)`,
      [guestId],
    );
  }
}
