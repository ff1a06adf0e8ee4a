import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertGuestInScope, canSeeGuest, hasChainWideScope, type Principal } from '@loyalty/auth';

/**
 * Which accounts a token reaches: a chain-wide token every account, a property-scoped one those of the
 * guests with a stay credited at one of its properties. The `propertyId` a request names is the caller's
 * choice, so it says nothing about the guest.
 */
@Injectable()
export class GuestScope {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * An unknown guest has no property, so a property-scoped caller cannot tell them from another
   * property's guest; a chain-wide caller goes on to the 404.
   * @throws AuthException PROPERTY_OUT_OF_SCOPE (403) unless the token reaches every one of the guests.
   */
  async assertReaches(principal: Principal, ...guestIds: string[]): Promise<void> {
    if (hasChainWideScope(principal)) return;
    for (const guestId of guestIds) assertGuestInScope(principal, await this.propertiesOf(guestId));
  }

  /** Whether the token reaches the guest, as `assertReaches` decides (an unknown guest: chain-wide only). */
  async reaches(principal: Principal, guestId: string): Promise<boolean> {
    return hasChainWideScope(principal) || canSeeGuest(principal, await this.propertiesOf(guestId));
  }

  /**
   * The properties of the stays credited to the account the guest's id leads to (merges followed to the
   * survivor, as commands follow them), including the stays of every account merged into it: they stay
   * on the merged account's id.
   */
  private async propertiesOf(guestId: string): Promise<string[]> {
    const rows: { property_id: string }[] = await this.dataSource.query(
      `with recursive chain as (
         select id, merged_into, merged_account_ids, 0 as hops from accounts where guest_id = $1
         union all
         select a.id, a.merged_into, a.merged_account_ids, chain.hops + 1
         from chain join accounts a on a.id = chain.merged_into
         where chain.hops < 10
       )
       select distinct c.property_id from chain
       join credited_stays c on c.account_id = any(array_prepend(chain.id, chain.merged_account_ids))
       where chain.merged_into is null`,
      [guestId],
    );
    return rows.map((row) => row.property_id);
  }
}
