import {
  ContractViolation,
  contentFingerprint,
  eventDeclaration,
  validateEvent,
  type ValidatedEvent,
} from '@loyalty/contracts';
import { mayServe, type UpstreamSystem } from './api-keys';

export type ItemStatus = 'accepted' | 'duplicate' | 'rejected';

export interface ItemResult {
  index: number;
  id?: string;
  status: ItemStatus;
  /**
   * Why an item was rejected: a contract violation code, NOT_UPSTREAM_EVENT, PROPERTY_OUT_OF_SCOPE, or
   * EVENT_ID_REUSED (another event came with this id before).
   */
  code?: string;
  errors?: readonly { path: string; reason: string }[];
}

/** An item that passed the checks, by its id and its content's fingerprint. */
export interface FingerprintedItem {
  index: number;
  id: string;
  /**
   * Of the envelope without its trace context (`traceparent`, `tracestate`): a sender may start a new
   * trace for each retry of the same event.
   */
  fingerprint: string;
  /** Of the whole envelope, as ids recorded before the trace context was left out have it stored. */
  wholeEnvelopeFingerprint: string;
}

export type CheckedItem = FingerprintedItem & { event: ValidatedEvent };

export interface CheckedItems {
  results: ItemResult[];
  /**
   * The first item under each id, with its content's fingerprint: a re-send has the same, another event
   * under its id another.
   */
  valid: CheckedItem[];
  /**
   * Later items under an id of `valid`, answered against the batch's first copy; when the id came in an
   * earlier request, the stored event judges them instead, and the one that re-sends an unconfirmed event
   * may be one of them.
   */
  repeats: CheckedItem[];
}

function fingerprintsOf(envelope: ValidatedEvent['envelope']) {
  const { traceparent: _traceparent, tracestate: _tracestate, ...content } = envelope;
  return { fingerprint: contentFingerprint(content), wholeEnvelopeFingerprint: contentFingerprint(envelope) };
}

/** Whether `stored` (a fingerprint recorded with the id, if any) is the item's content. */
export const sameContent = (stored: string | null | undefined, item: FingerprintedItem): boolean =>
  stored == null || stored === item.fingerprint || stored === item.wholeEnvelopeFingerprint;

/** The answer to an event whose id came before with other content: a changed event needs an id of its own. */
export function idReused(index: number, id: string): ItemResult {
  return {
    index,
    id,
    status: 'rejected',
    code: 'EVENT_ID_REUSED',
    errors: [
      {
        path: 'id',
        reason: 'an event with this id and other content was received before; a changed event needs a new id',
      },
    ],
  };
}

/**
 * Judges every item on its own: a valid upstream event for a property the system may send for passes;
 * anything else is rejected with the field and the reason, and does not hold up the others.
 */
export function checkItems(items: unknown[], system: UpstreamSystem): CheckedItems {
  const results: ItemResult[] = [];
  const valid: CheckedItems['valid'] = [];
  const repeats: CheckedItems['repeats'] = [];
  const seen = new Map<string, string>();
  items.forEach((item, index) => {
    let event: ValidatedEvent;
    try {
      event = validateEvent(item);
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      results.push({ index, id: error.event.id, status: 'rejected', code: error.code, errors: error.issues });
      return;
    }
    const { id, type } = event.envelope;
    // Upstream events are booking events, whose payload always names the property; the envelope's
    // `propertyid` is optional, and validation has already made it agree with the payload when present.
    const { propertyId } = event.data as { propertyId: string };
    if (eventDeclaration(type).owner !== 'upstream') {
      results.push({
        index,
        id,
        status: 'rejected',
        code: 'NOT_UPSTREAM_EVENT',
        errors: [{ path: 'type', reason: `${type} is published by the platform, not by property systems` }],
      });
    } else if (!mayServe(system, propertyId)) {
      results.push({
        index,
        id,
        status: 'rejected',
        code: 'PROPERTY_OUT_OF_SCOPE',
        errors: [
          {
            path: 'data.propertyId',
            reason: `the key of ${system.name} may not send events for property ${propertyId}`,
          },
        ],
      });
    } else {
      const fingerprints = fingerprintsOf(event.envelope);
      const earlier = seen.get(id);
      if (earlier === undefined) {
        seen.set(id, fingerprints.fingerprint);
        results.push({ index, id, status: 'accepted' });
        valid.push({ index, id, event, ...fingerprints });
      } else {
        const same = earlier === fingerprints.fingerprint;
        results.push(same ? { index, id, status: 'duplicate' } : idReused(index, id));
        repeats.push({ index, id, event, ...fingerprints });
      }
    }
  });
  return { results, valid, repeats };
}
