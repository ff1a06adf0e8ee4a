import { ERASED_RESERVATION_PREFIX, erasedStayOf } from './erased-stay';

const stay = { stayId: '1e2d3c4b-5a69-4877-8695-a4b3c2d1e0f9', propertyId: 'AMS01', reservationId: 'R1' };
const KEY = 'a-key-of-sixteen-chars';

describe('erasedStayOf', () => {
  it('should replace both ids with values that name neither when a guest is erased', () => {
    const erased = erasedStayOf(stay, KEY);
    expect(erased.stayId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(erased.stayId).not.toBe(stay.stayId);
    expect(erased.reservationId.startsWith(ERASED_RESERVATION_PREFIX)).toBe(true);
    expect(erased.reservationId).not.toContain(stay.reservationId);
  });

  it('should give the same values when the same stay is recorded again', () => {
    expect(erasedStayOf({ ...stay }, KEY)).toEqual(erasedStayOf(stay, KEY));
  });

  it('should give other values when the key, the property or the reservation differs', () => {
    const erased = erasedStayOf(stay, KEY);
    expect(erasedStayOf(stay, `${KEY}-other`)).not.toEqual(erased);
    expect(erasedStayOf({ ...stay, propertyId: 'AMS02' }, KEY).reservationId).not.toBe(erased.reservationId);
    expect(erasedStayOf({ ...stay, reservationId: 'R2' }, KEY).reservationId).not.toBe(erased.reservationId);
  });
});
