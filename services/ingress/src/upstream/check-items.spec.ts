import { sampleEvent } from '@loyalty/contracts';
import { checkItems } from './check-items';

const amsterdamOnly = { name: 'opera-ams', properties: new Set(['AMS01']) };

describe('checkItems', () => {
  const stay = sampleEvent('stay-completed');

  it('should accept a valid upstream event for a property in scope', () => {
    const { results, valid } = checkItems([stay], amsterdamOnly);
    expect(results).toEqual([{ index: 0, id: stay.id, status: 'accepted' }]);
    expect(valid).toHaveLength(1);
  });

  it('should reject each bad item with its field and reason and keep the good ones', () => {
    const broken = { ...stay, id: 'not-a-uuid-at-all', data: { ...stay.data, nights: -1 } };
    const { results, valid } = checkItems([broken, stay], amsterdamOnly);
    expect(results[0]).toMatchObject({ index: 0, status: 'rejected', code: 'INVALID_ENVELOPE' });
    expect(results[0].errors?.map((e) => e.path)).toContain('id');
    expect(results[1]).toMatchObject({ index: 1, status: 'accepted' });
    expect(valid.map((v) => v.index)).toEqual([1]);
  });

  it("should reject only the item whose nested object is an array of objects with a 'constructor' key", () => {
    const crafted = { ...stay, data: { ...stay.data, guest: [{ constructor: null }] } };
    const { results, valid } = checkItems([stay, crafted], amsterdamOnly);
    expect(results[1]).toMatchObject({ index: 1, status: 'rejected', code: 'INVALID_DATA' });
    expect(results[1].errors).toContainEqual({ path: 'data.guest', reason: 'must be an object' });
    expect(valid.map((v) => v.index)).toEqual([0]);
  });

  it('should name the payload field when the data is invalid', () => {
    const { results } = checkItems([{ ...stay, data: { ...stay.data, nights: 0 } }], amsterdamOnly);
    expect(results[0]).toMatchObject({ status: 'rejected', code: 'INVALID_DATA' });
    expect(results[0].errors?.some((e) => e.path === 'data.nights')).toBe(true);
  });

  it('should refuse a property outside the key scope and an event the platform publishes itself', () => {
    const paris = { ...stay, propertyid: 'PAR01', data: { ...stay.data, propertyId: 'PAR01' } };
    const { results } = checkItems([paris, sampleEvent('points-earned')], amsterdamOnly);
    expect(results.map((r) => r.code)).toEqual(['PROPERTY_OUT_OF_SCOPE', 'NOT_UPSTREAM_EVENT']);
  });

  it('should scope by the payload property when the envelope leaves propertyid out', () => {
    const { propertyid: _left, ...withoutAttribute } = stay;
    const paris = { ...withoutAttribute, data: { ...stay.data, propertyId: 'PAR01' } };

    const { results } = checkItems([withoutAttribute, paris], amsterdamOnly);

    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(results[1].errors).toEqual([
      { path: 'data.propertyId', reason: 'the key of opera-ams may not send events for property PAR01' },
    ]);
  });

  it('should count the same id twice in one batch once, whatever the case of its letters', () => {
    const shouted = { ...stay, id: stay.id.toUpperCase() };

    const { results, valid } = checkItems([stay, shouted], amsterdamOnly);

    expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(valid).toHaveLength(1);
  });

  it('should count the same id twice in one batch once, and keep the later copy for the stored event to judge', () => {
    const { results, valid, repeats } = checkItems([stay, stay], amsterdamOnly);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(valid).toHaveLength(1);
    expect(repeats).toEqual([
      {
        index: 1,
        id: stay.id,
        event: valid[0].event,
        fingerprint: valid[0].fingerprint,
        wholeEnvelopeFingerprint: valid[0].wholeEnvelopeFingerprint,
      },
    ]);
  });

  it('should reject a second event under an id the batch already holds with other content, naming the id', () => {
    const changed = { ...stay, data: { ...stay.data, roomType: 'SUITE-CHANGED' } };
    const { results, valid } = checkItems([stay, changed], amsterdamOnly);
    expect(results[1]).toMatchObject({
      status: 'rejected',
      code: 'EVENT_ID_REUSED',
      errors: [{ path: 'id' }],
    });
    expect(valid).toHaveLength(1);
  });

  it('should count a copy under another trace as the same event, in the batch and by its fingerprint', () => {
    const traced = { ...stay, traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: 'pms=1' };
    const retraced = { ...traced, traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` };

    const { results, valid, repeats } = checkItems([traced, retraced], amsterdamOnly);

    expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(repeats[0].fingerprint).toBe(valid[0].fingerprint);
  });
});
