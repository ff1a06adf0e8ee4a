import { ContractViolation, eventDeclaration, validateEvent, type ValidatedEvent } from '@loyalty/contracts';
import { mayServe, type UpstreamSystem } from './api-keys';

export type ItemStatus = 'accepted' | 'duplicate' | 'rejected';

export interface ItemResult {
  index: number;
  id?: string;
  status: ItemStatus;
  /** Why an item was rejected: a contract violation code, NOT_UPSTREAM_EVENT or PROPERTY_OUT_OF_SCOPE. */
  code?: string;
  errors?: readonly { path: string; reason: string }[];
}

export interface CheckedItems {
  results: ItemResult[];
  valid: { index: number; event: ValidatedEvent }[];
}

/**
 * Judges every item on its own: a valid upstream event for a property the system may send for passes;
 * anything else is rejected with the field and the reason, and does not hold up the others.
 */
export function checkItems(items: unknown[], system: UpstreamSystem): CheckedItems {
  const results: ItemResult[] = [];
  const valid: CheckedItems['valid'] = [];
  const seen = new Set<string>();
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
    } else if (seen.has(id)) {
      results.push({ index, id, status: 'duplicate' });
    } else {
      seen.add(id);
      results.push({ index, id, status: 'accepted' });
      valid.push({ index, event });
    }
  });
  return { results, valid };
}
