import { COMPLAINT_CATEGORIES, COMPLAINT_SEVERITIES } from '@loyalty/contracts';
import { SeededRandom } from '@loyalty/simulator';
import type { LoggedEvent } from './chain-summary';
import { recordedStays } from './event-log';
import { staffToken } from './staff-token';

const CHANNELS = ['front-desk', 'phone', 'email'] as const;

/**
 * Files `count` complaints over the complaints service's HTTP intake for stays the run recorded, chosen
 * and described from the seed, so the same seed files the same complaints. Answers how many it filed.
 */
export async function fileComplaints(
  complaintsUrl: string,
  log: LoggedEvent[],
  options: { seed: number; count: number; prefix: string },
): Promise<number> {
  const stays = recordedStays(log, options.prefix)
    // Ordered by what the simulator chose (property and reservation), not by ids profiles minted.
    .sort((a, b) => `${a.propertyId}:${a.reservationId}`.localeCompare(`${b.propertyId}:${b.reservationId}`));
  if (stays.length === 0 || options.count === 0) return 0;
  const random = new SeededRandom(options.seed);
  const token = staffToken('service');
  for (let i = 0; i < options.count; i++) {
    const stay = random.pick(stays);
    const category = random.pick(COMPLAINT_CATEGORIES.filter((candidate) => candidate !== 'other'));
    const response = await fetch(`${complaintsUrl}/complaints`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `simulator-${options.seed}-${i}`,
      },
      body: JSON.stringify({
        guestId: stay.guestId,
        propertyId: stay.propertyId,
        stay: {
          stayId: stay.stayId,
          propertyId: stay.propertyId,
          reservationId: stay.reservationId,
          arrival: stay.arrival,
          departure: stay.departure,
        },
        channel: random.pick(CHANNELS),
        category,
        severity: random.pick(COMPLAINT_SEVERITIES),
        description: `Simulated complaint about ${category}.`,
      }),
    });
    if (!response.ok) throw new Error(`complaints answered ${response.status}: ${await response.text()}`);
  }
  return options.count;
}
