import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { BaseServiceConfig, ConfigModule, DEV_JWT_SECRET } from '@loyalty/config';
import { ObservabilityModule } from '@loyalty/observability';
import { AuthModule } from './auth.module';
import { CurrentPrincipal } from './decorators/current-principal.decorator';
import { Public } from './decorators/public.decorator';
import { Roles } from './decorators/roles.decorator';
import type { Principal, TokenClaims } from './principal';
import { assertPropertyInScope, propertyScopeFilter } from './property-scope';
import { startJwksServer, type JwksFixture } from './testing/jwks-server';
import { mintToken } from './token/mint-token';

const ISSUER = 'loyalty-test';
const AUDIENCE = 'loyalty-api';

@Controller('rewards')
@Roles('property-manager')
class RewardsController {
  @Get()
  list(@CurrentPrincipal() principal: Principal): { sub: string; scope: string[] | 'all' } {
    return { sub: principal.sub, scope: propertyScopeFilter(principal) };
  }

  @Get('catalogue')
  @Public()
  catalogue(@CurrentPrincipal() principal: Principal | undefined): { items: number; principal: boolean } {
    return { items: 3, principal: principal !== undefined };
  }

  @Get('properties/:propertyId')
  @Roles('front-desk', 'property-manager')
  forProperty(
    @Param('propertyId') propertyId: string,
    @CurrentPrincipal() principal: Principal,
  ): { propertyId: string } {
    assertPropertyInScope(principal, propertyId);
    return { propertyId };
  }
}

@Controller('me')
class MeController {
  @Get()
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

async function createApp(env: NodeJS.ProcessEnv): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(BaseServiceConfig, { env: { DATABASE_URL: 'postgres://x@127.0.0.1/x', ...env } }),
      ObservabilityModule.forRoot({
        service: 'auth-test',
        collectDefaultMetrics: false,
        logDestination: { write: () => undefined },
      }),
      AuthModule.forRoot(),
    ],
    controllers: [RewardsController, MeController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  sub: 'alice',
  roles: ['property-manager'],
  properties: ['H1'],
  ...overrides,
});

describe('AuthModule with an HS256 secret', () => {
  let app: INestApplication;
  const token = (overrides: Partial<TokenClaims> = {}, secret = DEV_JWT_SECRET) =>
    mintToken(claims(overrides), secret, '5m', { issuer: ISSUER, audience: AUDIENCE });
  const get = (path: string, bearer?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return bearer === undefined ? req : req.set('Authorization', `Bearer ${bearer}`);
  };

  beforeAll(async () => {
    app = await createApp({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
  });
  afterAll(() => app?.close());

  it('should answer 401 TOKEN_MISSING when no Authorization header is sent', async () => {
    const res = await get('/me').expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'TOKEN_MISSING',
      message: 'this route needs an "Authorization: Bearer <token>" header',
    });
  });

  it('should answer 401 TOKEN_MISSING when the header uses another scheme', async () => {
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', 'Basic YWxpY2U6cHc=')
      .expect(401);
    expect(res.body.code).toBe('TOKEN_MISSING');
  });

  it('should answer 401 TOKEN_EXPIRED with the expiry time when the token has expired', async () => {
    const expiredAt = Math.floor(Date.now() / 1000) - 60;
    const expired = jwt.sign({ ...claims(), exp: expiredAt, iss: ISSUER, aud: AUDIENCE }, DEV_JWT_SECRET);
    const res = await get('/me', expired).expect(401);
    expect(res.body).toMatchObject({ code: 'TOKEN_EXPIRED', error: 'Unauthorized' });
    expect(res.body.message).toBe(`the token expired at ${new Date(expiredAt * 1000).toISOString()}`);
  });

  it('should answer 401 TOKEN_INVALID when the signature does not match the secret', async () => {
    const res = await get('/me', token({}, 'another-secret-of-enough-length')).expect(401);
    expect(res.body).toMatchObject({
      code: 'TOKEN_INVALID',
      message: 'the token was rejected: invalid signature',
    });
  });

  it('should answer 401 TOKEN_INVALID when the token is unsigned', async () => {
    const unsigned = jwt.sign({ ...claims(), iss: ISSUER, aud: AUDIENCE }, '', { algorithm: 'none' });
    const res = await get('/me', unsigned).expect(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('should answer 401 TOKEN_INVALID when the audience is not this platform', async () => {
    const foreign = mintToken(claims(), DEV_JWT_SECRET, '5m', { issuer: ISSUER, audience: 'someone-else' });
    const res = await get('/me', foreign).expect(401);
    expect(res.body).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(res.body.message).toContain('audience');
  });

  it('should answer 401 TOKEN_INVALID when the roles claim names an unknown role', async () => {
    const odd = jwt.sign({ sub: 'x', roles: ['root'], properties: [] }, DEV_JWT_SECRET, {
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
    });
    const res = await get('/me', odd).expect(401);
    expect(res.body.message).toContain('"roles" has unknown roles: root');
  });

  it('should put the principal on the request when the token is valid', async () => {
    const res = await get('/me', token({ name: 'Alice' })).expect(200);
    expect(res.body).toEqual({
      sub: 'alice',
      roles: ['property-manager'],
      properties: ['H1'],
      name: 'Alice',
    });
  });

  it('should answer 403 ROLE_REQUIRED naming the roles when the token lacks them', async () => {
    const res = await get('/rewards', token({ roles: ['front-desk'] })).expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'ROLE_REQUIRED',
      message: 'this route needs one of the roles: property-manager, chain-admin; the token has: front-desk',
    });
  });

  it('should let a chain-admin through when the route needs another role', async () => {
    const res = await get('/rewards', token({ roles: ['chain-admin'], properties: [] })).expect(200);
    expect(res.body).toEqual({ sub: 'alice', scope: 'all' });
  });

  it('should apply the handler roles instead of the controller roles when both are declared', async () => {
    await get('/rewards/properties/H1', token({ roles: ['front-desk'] })).expect(200, { propertyId: 'H1' });
  });

  it('should answer 403 PROPERTY_OUT_OF_SCOPE when the property is not in the token', async () => {
    const res = await get(
      '/rewards/properties/H2',
      token({ roles: ['front-desk'], properties: ['H1', 'H3'] }),
    ).expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'PROPERTY_OUT_OF_SCOPE',
      message: `property "H2" is outside the token's property scope: H1, H3`,
    });
  });

  it('should let a request through without a token when the route is public', async () => {
    await get('/rewards/catalogue').expect(200, { items: 3, principal: false });
    await get('/health/live').expect(200, { status: 'ok' });
  });
});

describe('AuthModule with a JWKS URL', () => {
  let app: INestApplication;
  let jwks: JwksFixture;
  const rsToken = (kid: string) =>
    jwt.sign({ ...claims(), roles: ['analyst'] }, jwks.privateKey, {
      algorithm: 'RS256',
      keyid: kid,
      expiresIn: 300,
      issuer: ISSUER,
      audience: AUDIENCE,
    });

  beforeAll(async () => {
    jwks = await startJwksServer();
    app = await createApp({ AUTH_JWKS_URL: jwks.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  it('should accept an RS256 token when its key is published in the JWKS', async () => {
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${rsToken(jwks.kid)}`)
      .expect(200);
    expect(res.body.roles).toEqual(['analyst']);
  });

  it('should reject an HS256 token when the JWKS is configured', async () => {
    const hs = mintToken(claims(), DEV_JWT_SECRET, '5m');
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${hs}`)
      .expect(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('should reject an RS256 token when its key id is not published', async () => {
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${rsToken('rotated-away')}`)
      .expect(401);
    expect(res.body).toMatchObject({
      code: 'TOKEN_INVALID',
      message: `no published signing key matches the token's key id "rotated-away"`,
    });
  });
});

describe('AuthModule when the JWKS endpoint is down', () => {
  it('should answer 503 AUTH_UNAVAILABLE when the signing keys cannot be fetched', async () => {
    const jwks = await startJwksServer();
    const token = jwt.sign(claims(), jwks.privateKey, {
      algorithm: 'RS256',
      keyid: jwks.kid,
      expiresIn: 300,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const url = jwks.url;
    await jwks.close();
    const app = await createApp({ AUTH_JWKS_URL: url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
    try {
      const res = await request(app.getHttpServer())
        .get('/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'AUTH_UNAVAILABLE' });
    } finally {
      await app.close();
    }
  });
});
