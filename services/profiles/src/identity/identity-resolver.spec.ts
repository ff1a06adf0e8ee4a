import { ProfilesConfig } from '../config/profiles.config';
import { PersonalDataCipher } from '../privacy/personal-data-cipher';
import { PersonalDataRepository } from '../privacy/personal-data.repository';
import { IdentityResolver, type ResolutionRequest } from './identity-resolver';

describe('IdentityResolver', () => {
  const config = new ProfilesConfig();
  const cipher = new PersonalDataCipher(config);

  /** A database that knows no guest yet and writes every guest asked for. */
  function emptyChain() {
    const identities = {
      lockEvidence: async () => undefined,
      lookup: async () => [],
      candidateFacts: async () => ({ familyNames: new Map(), loyalty: new Map() }),
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
});
