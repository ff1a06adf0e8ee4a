import { HttpException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Principal } from '@loyalty/auth';
import type { Clock } from '@loyalty/platform';
import type { LedgerAccount } from '../domain';
import { accountWith, T0 } from '../domain/ledger.fixtures';
import type { AccountCommandsService, HoldResult } from './account-commands.service';
import type { AccountQueriesService } from './account-queries.service';
import { AccountsController } from './accounts.controller';
import { GuestScope } from './guest-scope';
import { LedgerErrorFilter } from './ledger-error.filter';

const HERE = '11111111-1111-4111-8111-111111111111';
const ELSEWHERE = '22222222-2222-4222-8222-222222222222';
const UNKNOWN = '33333333-3333-4333-8333-333333333333';
const HOLD_ID = '44444444-4444-4444-8444-444444444444';
const OTHER_HOLD_ID = '55555555-5555-4555-8555-555555555555';

/** The properties of each known guest's credited stays; an unknown guest has none. */
const STAYS: Record<string, string[]> = { [HERE]: ['AMS01'], [ELSEWHERE]: ['LON01'] };
const AVAILABLE = 1_234;

const frontDesk: Principal = { sub: 'desk-1', roles: ['front-desk'], properties: ['AMS01'] };
const chainWide: Principal = { sub: 'desk-2', roles: ['front-desk'], properties: ['*'] };

function notFound(guestId: string): NotFoundException {
  return new NotFoundException({ code: 'ACCOUNT_NOT_FOUND', message: `no account for guest ${guestId}` });
}

/** A known guest's account, with 100 of its points held as HOLD_ID. */
function withHold(): LedgerAccount {
  return accountWith(AVAILABLE).hold(100, HOLD_ID, 15, T0).account;
}

/** The controller over a real GuestScope (its stays query stubbed) and commands run on the domain. */
function controller(): AccountsController {
  const dataSource = {
    query: async (_sql: string, [guestId]: string[]) =>
      (STAYS[guestId] ?? []).map((property_id) => ({ property_id })),
  } as unknown as DataSource;
  const known = (guestId: string) => {
    if (!STAYS[guestId]) throw notFound(guestId);
  };
  const commands = {
    placeHold: async (guestId: string, points: number): Promise<HoldResult> => {
      known(guestId);
      const { account } = accountWith(AVAILABLE).hold(points, HOLD_ID, 15, T0);
      const { available, held } = account.balances();
      return { holdId: HOLD_ID, points, expiresAt: T0.toISOString(), balance: { available, held } };
    },
    confirmHold: async (guestId: string, holdId: string) => {
      known(guestId);
      const { account } = withHold().confirmHold(holdId, T0);
      return { holdId, redeemed: 100, balance: account.balances().total };
    },
    releaseHold: async (guestId: string, holdId: string) => {
      known(guestId);
      const { account } = withHold().releaseHold(holdId, T0);
      return { holdId, available: account.balances().available };
    },
  } as unknown as AccountCommandsService;
  const queries = {
    balance: async (guestId: string) => {
      known(guestId);
      return { available: AVAILABLE };
    },
  } as unknown as AccountQueriesService;
  return new AccountsController(queries, commands, new GuestScope(dataSource), {
    now: () => T0,
  } as Clock);
}

/** What the client gets: the status and body of the answer, refusals as the HTTP edge writes them. */
async function answerOf(
  call: () => Promise<unknown>,
  success: number,
): Promise<{ status: number; body: unknown }> {
  try {
    return { status: success, body: await call() };
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
    const answer = { status: 0, body: undefined as unknown };
    const response = {
      status: (status: number) => ({
        json: (body: unknown) => Object.assign(answer, { status, body }),
      }),
    };
    const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
    new LedgerErrorFilter().catch(error, host);
    if (answer.status === 0) throw error;
    return answer;
  }
}

describe('AccountsController holds', () => {
  const accounts = controller();
  const hold = (guestId: string, points: number, principal = frontDesk) =>
    answerOf(() => accounts.placeHold(guestId, { points, propertyId: 'AMS01' }, 'key-1', principal), 201);
  const confirm = (guestId: string, principal = frontDesk, holdId = HOLD_ID) =>
    answerOf(
      () =>
        accounts.confirmHold(
          guestId,
          holdId,
          { propertyId: 'AMS01', reward: { kind: 'free-night', reference: 'RWD-FN-STD' } },
          principal,
        ),
      200,
    );
  const release = (guestId: string, principal = frontDesk, holdId = HOLD_ID) =>
    answerOf(() => accounts.releaseHold(guestId, holdId, { propertyId: 'AMS01' }, principal), 200);
  const read = (guestId: string) => answerOf(() => accounts.balance(guestId, {}, frontDesk), 200);

  it("should place a hold for a guest the token does not reach, without the guest's balance", async () => {
    expect(await read(ELSEWHERE)).toMatchObject({ status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } });
    const placed = await hold(ELSEWHERE, 1);
    expect(placed).toEqual({
      status: 201,
      body: { holdId: HOLD_ID, points: 1, expiresAt: T0.toISOString() },
    });
  });

  it('should refuse too large a hold without the available points or the shortfall when the token does not reach the guest', async () => {
    const refused = await hold(ELSEWHERE, 10_000_000);
    expect(refused).toMatchObject({ status: 409, body: { code: 'INSUFFICIENT_POINTS' } });
    expect(refused.body).not.toHaveProperty('available');
    expect(refused.body).not.toHaveProperty('shortfall');
    expect(JSON.stringify(refused.body)).not.toContain(String(AVAILABLE));
  });

  it('should refuse a hold for an unknown guest as for a guest with too few points it does not reach, when the token is property-scoped', async () => {
    const refused = await hold(UNKNOWN, 10_000_000);
    expect(refused).toEqual(await hold(ELSEWHERE, 10_000_000));
    expect(await hold(UNKNOWN, 1)).toEqual({
      status: 409,
      body: expect.objectContaining({ code: 'INSUFFICIENT_POINTS', requested: 1 }),
    });
  });

  it('should confirm and release the hold of a guest the token does not reach without a balance', async () => {
    expect(await confirm(ELSEWHERE)).toEqual({ status: 200, body: { holdId: HOLD_ID, redeemed: 100 } });
    expect(await release(ELSEWHERE)).toEqual({ status: 200, body: { holdId: HOLD_ID } });
  });

  it('should refuse to confirm or release for an unknown guest as for a hold a guest it does not reach has not, when the token is property-scoped', async () => {
    const notHeld = await confirm(ELSEWHERE, frontDesk, OTHER_HOLD_ID);
    expect(notHeld).toMatchObject({ status: 404, body: { code: 'HOLD_NOT_FOUND' } });
    expect(await confirm(UNKNOWN, frontDesk, OTHER_HOLD_ID)).toEqual(notHeld);
    expect(await release(UNKNOWN, frontDesk, OTHER_HOLD_ID)).toEqual(
      await release(ELSEWHERE, frontDesk, OTHER_HOLD_ID),
    );
  });

  it('should answer with the balance and the shortfall when the token reaches the guest', async () => {
    expect(await hold(HERE, 1)).toMatchObject({
      status: 201,
      body: { holdId: HOLD_ID, balance: { available: AVAILABLE - 1, held: 1 } },
    });
    expect(await hold(HERE, 10_000_000)).toMatchObject({
      status: 409,
      body: { code: 'INSUFFICIENT_POINTS', available: AVAILABLE, shortfall: 10_000_000 - AVAILABLE },
    });
    expect(await confirm(HERE)).toMatchObject({ body: { balance: AVAILABLE - 100 } });
    expect(await release(HERE)).toMatchObject({ body: { available: AVAILABLE } });
    expect(await hold(ELSEWHERE, 1, chainWide)).toMatchObject({ body: { balance: { held: 1 } } });
  });

  it('should answer an unknown guest with 404 to a chain-wide token, as GET does', async () => {
    const notFound = { status: 404, body: { code: 'ACCOUNT_NOT_FOUND' } };
    expect(await hold(UNKNOWN, 1, chainWide)).toMatchObject(notFound);
    expect(await confirm(UNKNOWN, chainWide)).toMatchObject(notFound);
    expect(await release(UNKNOWN, chainWide)).toMatchObject(notFound);
  });
});
