import { validRequest } from '@loyalty/platform';
import { OpenComplaintDto } from './open-complaint.dto';

const COMPLAINT = {
  guestId: '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  propertyId: 'AMS01',
  channel: 'front-desk',
  category: 'noise',
  severity: 'medium',
  description: 'Music from the bar until 2 am',
};

const validate = (body: Record<string, unknown>) =>
  validRequest.transform(body, { type: 'body', metatype: OpenComplaintDto });

describe('OpenComplaintDto', () => {
  it('should accept a complaint at a property named by its code', async () => {
    await expect(validate(COMPLAINT)).resolves.toMatchObject({ propertyId: 'AMS01' });
  });

  // The property and the stay's reservation go into `complaint-opened`, whose contract takes identifiers only.
  it.each([
    [{ ...COMPLAINT, propertyId: 'Grand Paris' }, 'propertyId'],
    [
      {
        ...COMPLAINT,
        stay: { stayId: '0b1c2d3e-4f50-4617-8899-aabbccddeeff', propertyId: 'AMS 01', reservationId: 'R1' },
      },
      'stay.propertyId',
    ],
    [
      {
        ...COMPLAINT,
        stay: {
          stayId: '0b1c2d3e-4f50-4617-8899-aabbccddeeff',
          propertyId: 'AMS01',
          reservationId: 'R 2025/0042',
          arrival: '2025-03-03',
          departure: '2025-03-06',
        },
      },
      'stay.reservationId',
    ],
  ])('should refuse an id that is no identifier with a 400 naming it (%#)', async (body, path) => {
    await expect(validate(body)).rejects.toMatchObject({
      response: {
        code: 'VALIDATION_FAILED',
        errors: expect.arrayContaining([{ path, reason: expect.stringMatching(/^must be an identifier/) }]),
      },
    });
  });

  // Escalations notify the manager above the owner's role, which only the request can tell for another.
  it.each([
    [
      { ...COMPLAINT, ownerId: 'manager-9' },
      'ownerRole must be one of: front-desk, property-manager (given with ownerId)',
    ],
    [
      { ...COMPLAINT, ownerRole: 'property-manager' },
      'ownerRole names the role of ownerId: give both or neither',
    ],
    [
      { ...COMPLAINT, ownerId: 'manager-9', ownerRole: 'chain-admin' },
      'ownerRole must be one of: front-desk, property-manager (given with ownerId)',
    ],
  ])(
    'should refuse an owner without a role, or a role without an owner, with a 400 naming ownerRole (%#)',
    async (body, reason) => {
      await expect(validate(body)).rejects.toMatchObject({
        response: { code: 'VALIDATION_FAILED', errors: [{ path: 'ownerRole', reason }] },
      });
    },
  );

  it('should take an owner with their role', async () => {
    await expect(
      validate({ ...COMPLAINT, ownerId: 'manager-9', ownerRole: 'property-manager' }),
    ).resolves.toMatchObject({
      ownerId: 'manager-9',
      ownerRole: 'property-manager',
    });
  });
});
