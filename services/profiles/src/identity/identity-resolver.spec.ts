import { ProfilesConfig } from '../config/profiles.config';
import { PersonalDataCipher } from '../privacy/personal-data-cipher';
import { PersonalDataRepository } from '../privacy/personal-data.repository';
import { evidenceOf, type EvidenceKey } from './identity-evidence';
import { IdentityResolver, type ResolutionRequest } from './identity-resolver';

describe('IdentityResolver', () => {
  const config = new ProfilesConfig();
  const cipher = new PersonalDataCipher(config);

  /** A database that knows no guest yet and writes every guest asked for. */
  function emptyChain() {
    const identities = {
      lockEvidence: async () => undefined,
      lookup: async () => [],
      candidateFacts: async () => ({
        familyNames: new Map(),
        fullNames: new Map(),
        loyalty: new Map(),
        notSame: new Map(),
      }),
      saveResolution: async () => undefined,
    };
    const manager = {
      query: async (sql: string, params: unknown[]) =>
        /insert into guests/.test(sql) ? (params[0] as string[]).map((id) => ({ id })) : [],
    };
    const resolver = new IdentityResolver(
      config,
      cipher,
      identities as never,
      new PersonalDataRepository(cipher),
      { mergeAutomatically: async () => undefined } as never,
    );
    const published: { type: string; data: { attributes?: Record<string, unknown> } }[] = [];
    const publish = (type: string, data: (typeof published)[number]['data']) =>
      void published.push({ type, data });
    return {
      resolve: (requests: ResolutionRequest[]) =>
        resolver.resolveAll(manager as never, requests, publish as never),
      published,
    };
  }

  it('should register a new guest brought twice in one batch with what both stays brought', async () => {
    const { resolve, published } = emptyChain();
    const guest = { externalProfileRef: 'OPERA-1', givenName: 'Ada', familyName: 'Lovelace' };
    const stay = { propertyId: 'AMS01', source: 'pms:AMS01' };
    const ids = await resolve([
      { ...stay, ref: 'e1', identity: guest, countryCode: 'GB', observedAt: '2026-01-01T10:00:00Z' },
      {
        ...stay,
        ref: 'e2',
        identity: { ...guest, email: 'ada@example.com', phone: '+31201234567', loyaltyNumber: 'LX1' },
        countryCode: 'NL',
        preferredLanguage: 'en-GB',
        observedAt: '2026-02-01T10:00:00Z',
      },
    ]);
    expect(new Set(ids).size).toBe(1);
    expect(published).toEqual([
      {
        type: 'guest-registered',
        data: expect.objectContaining({
          guestId: ids[0],
          enrolledAt: '2026-01-01T10:00:00Z',
          attributes: {
            loyaltyNumber: 'LX1',
            homePropertyId: 'AMS01',
            countryCode: 'NL',
            preferredLanguage: 'en-GB',
            emailOnFile: true,
            phoneOnFile: true,
          },
        }),
      },
    ]);
  });

  it('should suggest, never match, the other profiles holding the name and date of birth staff recorded', async () => {
    const keys = evidenceOf(
      { givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1815-12-10', email: 'ada@example.com' },
      undefined,
      cipher,
    );
    // Every key is held by the guest itself and by one other profile each.
    const identities = {
      lookup: async (_manager: unknown, asked: EvidenceKey[]) =>
        asked.flatMap(({ source, reference, kind }) =>
          ['self', `other-by-${kind}`].map((guestId) => ({ source, reference, guest_id: guestId })),
        ),
      candidateFacts: async () => ({
        familyNames: new Map(),
        fullNames: new Map(),
        loyalty: new Map(),
        notSame: new Map(),
      }),
      saveResolution: jest.fn(async () => undefined),
    };
    const resolver = new IdentityResolver(config, cipher, identities as never, {} as never, {} as never);
    await resolver.suggestOnStaffGivenEvidence({} as never, 'self', keys);
    // A stay's email or name is compared when a stay brings it: only the date of birth waits for staff.
    expect(identities.saveResolution).toHaveBeenCalledWith(expect.anything(), {
      identities: [],
      decisions: [],
      suggestions: [
        {
          guestId: 'self',
          candidate: { guestId: 'other-by-name-dob', rule: 'same-name-and-dob', score: 0.75 },
        },
      ],
    });
  });
});
