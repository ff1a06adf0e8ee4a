import type { ChurnSignalDto, EventData, StayReferenceDto } from '@loyalty/contracts';
import { dateOfDay, type Lapse } from '@loyalty/lifetime';
import { modelVersion, type StoredModel } from './model-store';
import type { GuestRow } from './visit-store';

/** `visit-frequency-dropped` for a lapse; a recent risk signal makes any lapse `high`. */
export function droppedEvent(
  guest: GuestRow,
  lapse: Lapse,
  signals: ChurnSignalDto[],
  model: StoredModel,
  now: Date,
): EventData<'visit-frequency-dropped'> {
  return {
    guestId: guest.guestId,
    riskLevel: signals.length > 0 ? 'high' : lapse.riskLevel,
    evidence: {
      expectedIntervalDays: lapse.expectedIntervalDays,
      ...(guest.meanIntervalDays > 0 ? { previousCadenceDays: guest.meanIntervalDays } : {}),
      daysSinceLastStay: lapse.daysSinceLastStay,
      lastDeparture: dateOfDay(guest.lastDay),
      probabilityAlive: lapse.probabilityAlive,
      recentSignals: signals,
    },
    modelVersion: modelVersion(model),
    detectedAt: now.toISOString(),
  };
}

/** `visit-frequency-restored` naming the stay (given with whatever else is known of it) by its reference. */
export function restoredEvent(
  guestId: string,
  { stayId, propertyId, reservationId, arrival, departure }: StayReferenceDto,
  probabilityAlive: number,
  now: Date,
): EventData<'visit-frequency-restored'> {
  return {
    guestId,
    stay: { stayId, propertyId, reservationId, arrival, departure },
    probabilityAlive,
    restoredAt: now.toISOString(),
  };
}
