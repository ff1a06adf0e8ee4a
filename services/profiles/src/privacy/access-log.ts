import { Injectable } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import type { Principal } from '@loyalty/auth';
import { ProfilesException } from '../identity/merge.exception';

/** Why personal data is read; every read is logged with it. */
export const ACCESS_REASON_HEADER = 'x-access-reason';

/** Documents the header on a route that answers with personal data (a missing one is a 400). */
export const RequiresAccessReason = (): MethodDecorator =>
  ApiHeader({ name: 'X-Access-Reason', required: true, description: 'why personal data is read (logged)' });

/** Who read whose personal data, when and why. */
@Injectable()
export class AccessLog {
  /** @throws ProfilesException ACCESS_REASON_REQUIRED when the caller gave no reason. */
  requireReason(reason: string | undefined): string {
    const trimmed = reason?.trim();
    if (!trimmed) {
      throw new ProfilesException(
        'ACCESS_REASON_REQUIRED',
        'reading personal data needs an X-Access-Reason header saying why (it is logged)',
      );
    }
    return trimmed.slice(0, 200);
  }

  async record(
    manager: EntityManager,
    principal: Principal,
    guestIds: (string | null)[],
    action: string,
    reason: string,
  ): Promise<void> {
    const ids = guestIds.length ? guestIds : [null];
    await manager.query(
      `insert into access_log (guest_id, actor, roles, action, reason)
       select g, $2, $3, $4, $5 from unnest($1::uuid[]) as g`,
      [ids, principal.sub, principal.roles, action, reason],
    );
  }
}
