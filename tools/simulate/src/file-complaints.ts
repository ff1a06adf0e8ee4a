import { COMPLAINT_CATEGORIES, COMPLAINT_SEVERITIES, RESOLUTIONS } from '@loyalty/contracts';
import { SeededRandom } from '@loyalty/simulator';
import type { LoggedEvent } from './chain-summary';
import { recordedStays } from './event-log';
import { staffApi } from './staff-api';
import { staffToken } from './staff-token';

const CHANNELS = ['front-desk', 'phone', 'email'] as const;

/** Of the complaints filed, the share the guests withdraw at once (the rest of the unresolved stay open). */
export const WITHDRAWN_SHARE = 0.1;

/**
 * How long before it is logged a complaint `loggedLate` was raised: past every SLA policy's resolution
 * target (a week at most), so the front desk resolves it late, however quickly.
 */
export const LOGGED_LATE_DAYS = 8;

/**
 * Files `count` complaints over the complaints service's HTTP intake for stays the run recorded, chosen
 * and described from the seed, so the same seed files the same complaints. The front desk then handles
 * them as the seed decides: a share (`resolved`) acknowledged, taken up and resolved, within their SLA as
 * the run is minutes long, but for a share of those (`loggedLate`) logged LOGGED_LATE_DAYS after the guest
 * raised them (`receivedAt`), a letter found late, which breach it; a tenth withdrawn by the guest; the
 * others left open. Answers how many it filed, and how many of them it logged late.
 */
export async function fileComplaints(
  complaintsUrl: string,
  log: LoggedEvent[],
  options: { seed: number; count: number; prefix: string; resolved: number; loggedLate: number },
): Promise<{ filed: number; loggedLate: number }> {
  const stays = recordedStays(log, options.prefix)
    // Ordered by what the simulator chose (property and reservation), not by ids profiles minted.
    .sort((a, b) => `${a.propertyId}:${a.reservationId}`.localeCompare(`${b.propertyId}:${b.reservationId}`));
  if (stays.length === 0 || options.count === 0) return { filed: 0, loggedLate: 0 };
  const random = new SeededRandom(options.seed);
  const intake = staffApi('complaints', complaintsUrl, staffToken('service'));
  const frontDesk = staffApi('complaints', complaintsUrl, staffToken('front-desk', 'simulated-front-desk'));
  let loggedLate = 0;
  for (let i = 0; i < options.count; i++) {
    const stay = random.pick(stays);
    const category = random.pick(COMPLAINT_CATEGORIES.filter((candidate) => candidate !== 'other'));
    const channel = random.pick(CHANNELS);
    const severity = random.pick(COMPLAINT_SEVERITIES);
    const fate = random.next();
    const resolved = fate < options.resolved;
    const late = resolved && fate < options.resolved * options.loggedLate;
    if (late) loggedLate++;
    const { id } = await intake<{ id: string }>(
      'POST',
      '/complaints',
      {
        guestId: stay.guestId,
        propertyId: stay.propertyId,
        stay: {
          stayId: stay.stayId,
          propertyId: stay.propertyId,
          reservationId: stay.reservationId,
          arrival: stay.arrival,
          departure: stay.departure,
        },
        channel,
        category,
        severity,
        description: `Simulated complaint about ${category}.`,
        ...(late ? { receivedAt: new Date(Date.now() - LOGGED_LATE_DAYS * 86_400_000).toISOString() } : {}),
      },
      `simulator-${options.seed}-${i}`,
    );
    if (resolved) {
      await frontDesk('POST', `/complaints/${id}/acknowledge`);
      await frontDesk('POST', `/complaints/${id}/start`);
      await frontDesk('POST', `/complaints/${id}/resolve`, {
        resolution: random.pick(RESOLUTIONS),
        note: `Simulated: the front desk put the ${category} right.`,
      });
    } else if (fate >= 1 - WITHDRAWN_SHARE) {
      await frontDesk('POST', `/complaints/${id}/cancel`, {
        reason: 'Simulated: the guest withdrew the complaint.',
      });
    }
  }
  return { filed: options.count, loggedLate };
}
