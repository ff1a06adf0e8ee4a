import { adjustmentKeyOf } from './stay-adjustment';

describe('adjustmentKeyOf', () => {
  it('should key an adjustment by its property and the property system id', () => {
    expect(adjustmentKeyOf({ propertyId: 'AMS01', adjustmentId: 'ADJ-1' })).toBe('AMS01/ADJ-1');
  });

  it('should tell apart the same adjustment id at two properties', () => {
    expect(adjustmentKeyOf({ propertyId: 'AMS01', adjustmentId: 'ADJ-1' })).not.toBe(
      adjustmentKeyOf({ propertyId: 'LON02', adjustmentId: 'ADJ-1' }),
    );
  });
});
