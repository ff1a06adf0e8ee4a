import { sampleEventData, serviceSource, type EventData } from '@loyalty/contracts';
import type { EntityManager } from 'typeorm';
import { PermanentEventError } from '../errors';
import { EventContext } from './event-context';
import { decideOnFailure } from './failure-policy';

const settings = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1_000 };

function context(): EventContext {
  const delivery = { topic: 'points-earned', partition: 0, offset: '0', attempt: 1 };
  return new EventContext({} as EntityManager, delivery, serviceSource('points-ledger'));
}

describe('EventContext.publish', () => {
  it('should queue the event it builds when the payload keeps its contract', () => {
    const ctx = context();
    const event = ctx.publish('points-earned', sampleEventData('points-earned'));
    expect(ctx.pending).toEqual([event]);
  });

  it("should dead-letter at once, as the service's own bug, when the handler builds an event that breaks its contract", () => {
    const ctx = context();
    const data: EventData<'points-earned'> = { ...sampleEventData('points-earned'), points: -1 };
    let thrown: unknown;
    try {
      ctx.publish('points-earned', data);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PermanentEventError);
    expect((thrown as PermanentEventError).message).toMatch(
      /points-earned.*data\.points must be a positive integer/,
    );
    expect(decideOnFailure(thrown, { attempt: 1, handlerFailures: 0 }, settings)).toEqual({
      action: 'dead-letter',
      reason: 'OUTGOING_EVENT_INVALID',
    });
    expect(ctx.pending).toEqual([]);
  });
});
