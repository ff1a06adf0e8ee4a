import { buildEvent, eventHeaders, sampleEvent, sampleEventData, serviceSource } from '../index';

describe('eventHeaders', () => {
  it('should mirror the envelope when the event has a subject and a cause', () => {
    const event = buildEvent('points-earned', sampleEventData('points-earned'), {
      source: serviceSource('points-ledger'),
      correlationId: 'corr-1',
      causationId: 'cause-1',
    });

    expect(eventHeaders(event)).toEqual({
      'content-type': 'application/cloudevents+json; charset=UTF-8',
      ce_id: event.id,
      ce_type: 'points-earned',
      ce_source: 'loyalty/points-ledger',
      ce_dataversion: '1',
      ce_subject: event.subject,
      'correlation-id': 'corr-1',
      'causation-id': 'cause-1',
    });
  });

  it('should leave out subject and causation headers when the event has neither', () => {
    const headers = eventHeaders(sampleEvent('stay-completed'));

    expect(headers).not.toHaveProperty('ce_subject');
    expect(headers).not.toHaveProperty('causation-id');
    expect(Object.values(headers).every((value) => typeof value === 'string')).toBe(true);
  });
});
