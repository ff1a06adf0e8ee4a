import {
  buildEvent,
  causedBy,
  ContractViolation,
  ContractViolationCode,
  sampleEventData,
  SAMPLE_IDS,
  serviceSource,
  validateEvent,
  type EventData,
} from './index';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIME_ORDERED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisecondOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('buildEvent', () => {
  it('should fill the envelope with a fresh time-ordered id, the time, the current version and a correlation id when only a source is given', () => {
    const before = Date.now();

    const event = buildEvent('points-earned', sampleEventData('points-earned'), {
      source: serviceSource('points-ledger'),
    });

    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'points-earned',
      source: 'loyalty/points-ledger',
      datacontenttype: 'application/json',
      dataversion: '1',
      subject: SAMPLE_IDS.guestId,
    });
    expect(event.id).toMatch(TIME_ORDERED_UUID);
    expect(millisecondOf(event.id)).toBeGreaterThanOrEqual(before);
    expect(millisecondOf(event.id)).toBeLessThanOrEqual(Date.now());
    expect(event.correlationid).toMatch(UUID);
    expect(event.correlationid).not.toBe(event.id);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before - 1);
    expect(event).not.toHaveProperty('causationid');
  });

  it('should use the given id, time, correlation and causation when they are passed', () => {
    const event = buildEvent('guest-erased', sampleEventData('guest-erased'), {
      source: serviceSource('profiles'),
      id: '3f0f7c1e-8d7e-4c43-9a51-6f1f0e7c2b10',
      time: new Date('2025-05-01T12:00:00Z'),
      correlationId: 'req-123',
      causationId: 'a1b2',
    });

    expect(event).toMatchObject({
      id: '3f0f7c1e-8d7e-4c43-9a51-6f1f0e7c2b10',
      time: '2025-05-01T12:00:00.000Z',
      correlationid: 'req-123',
      causationid: 'a1b2',
    });
  });

  it('should take the subject from the survivor id when a merge is built', () => {
    const data = sampleEventData('guest-merged');

    const event = buildEvent('guest-merged', data, {
      source: serviceSource('profiles'),
      subject: data.mergedId,
    });

    expect(event.subject).toBe(data.survivorId);
  });

  it('should leave the subject out and take propertyid from the payload when an upstream event is built', () => {
    const event = buildEvent('stay-completed', sampleEventData('stay-completed'), {
      source: 'pms/opera-ams01',
    });

    expect(event).not.toHaveProperty('subject');
    expect(event.propertyid).toBe(SAMPLE_IDS.propertyId);
  });

  it('should produce JSON that validates to the same event when round-tripped', () => {
    const event = buildEvent('survey-completed', sampleEventData('survey-completed'), {
      source: serviceSource('surveys'),
    });

    expect(validateEvent(JSON.parse(JSON.stringify(event))).envelope).toEqual({
      ...event,
      data: expect.anything(),
    });
  });

  it('should throw a ContractViolation where the event is made when the payload breaks a rule', () => {
    const data: EventData<'points-earned'> = { ...sampleEventData('points-earned'), points: -5 };

    const build = () => buildEvent('points-earned', data, { source: serviceSource('points-ledger') });

    expect(build).toThrow(ContractViolation);
    expect(build).toThrow('points-earned v1 is invalid: data.points must be a positive integer');
  });

  it('should throw INVALID_ENVELOPE when the source is not a URI reference', () => {
    try {
      buildEvent('guest-erased', sampleEventData('guest-erased'), { source: 'points ledger' });
      throw new Error('expected a ContractViolation');
    } catch (error) {
      expect((error as ContractViolation).code).toBe(ContractViolationCode.INVALID_ENVELOPE);
    }
  });

  it('should not compile when the payload does not match the type', () => {
    const build = () =>
      // @ts-expect-error a points-earned payload is not a stay-completed payload
      buildEvent('stay-completed', sampleEventData('points-earned'), { source: 'pms/x' });
    const badNights = { ...sampleEventData('stay-completed'), nights: '3' };
    // @ts-expect-error nights must be a number
    const misspelt = () => buildEvent('stay-completed', badNights, { source: 'pms/x' });

    expect(build).toThrow(ContractViolation);
    expect(misspelt).toThrow(ContractViolation);
  });
});

describe('causedBy', () => {
  it('should carry the correlation id on and name the incoming event as the cause', () => {
    const incoming = { id: 'evt-1', correlationid: 'corr-1' };

    expect(causedBy(incoming)).toEqual({ correlationId: 'corr-1', causationId: 'evt-1' });
  });
});
