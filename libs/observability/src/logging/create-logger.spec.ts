import { CorrelationContext } from '../correlation/correlation-context';
import { LogCapture } from '../testing/log-capture';
import { createLogger } from './create-logger';

describe('createLogger', () => {
  it('should write JSON with service, level name and ISO time when logging', () => {
    const out = new LogCapture();
    createLogger({ service: 'ledger', destination: out }).warn({ points: 10 }, 'low balance');
    expect(out.lines[0]).toMatchObject({ service: 'ledger', level: 'warn', msg: 'low balance', points: 10 });
    expect(new Date(out.lines[0].time as string).toISOString()).toBe(out.lines[0].time);
  });

  it('should add the correlation ids when logging inside a context', () => {
    const out = new LogCapture();
    const logger = createLogger({ service: 'ledger', destination: out });
    CorrelationContext.run({ correlationId: 'c-1', causationId: 'e-1' }, () => logger.info('inside'));
    logger.info('outside');
    expect(out.lines[0]).toMatchObject({ correlationId: 'c-1', causationId: 'e-1' });
    expect(out.lines[1]).not.toHaveProperty('correlationId');
  });

  it('should redact PII and credentials when they appear at the top level or one level down', () => {
    const out = new LogCapture();
    createLogger({ service: 'guest', destination: out }).info(
      {
        email: 'top@example.com',
        guest: { firstName: 'Ada', lastName: 'Lovelace', phone: '+44 1', id: 'g-1' },
        user: { password: 'pw' },
        req: { headers: { authorization: 'Bearer abc.def.ghi', accept: 'json' } },
      },
      'profile updated',
    );
    const [line] = out.lines;
    expect(line.email).toBe('[REDACTED]');
    expect(line.guest).toEqual({
      firstName: '[REDACTED]',
      lastName: '[REDACTED]',
      phone: '[REDACTED]',
      id: 'g-1',
    });
    expect(line.user).toEqual({ password: '[REDACTED]' });
    expect(line.req).toEqual({ headers: { authorization: '[REDACTED]', accept: 'json' } });
  });

  it('should redact the guest identity fields when a guest is logged', () => {
    const out = new LogCapture();
    createLogger({ service: 'profiles', destination: out }).info(
      {
        guest: {
          givenName: 'Anna',
          familyName: 'Jansen',
          email: 'anna@example.com',
          externalProfileRef: 'PMS-778',
          loyaltyNumber: 'L-123',
        },
      },
      'guest identified',
    );
    const raw = JSON.stringify(out.lines[0]);
    for (const value of ['Anna', 'Jansen', 'anna@example.com', 'PMS-778']) expect(raw).not.toContain(value);
    expect(out.lines[0].guest).toMatchObject({ givenName: '[REDACTED]', loyaltyNumber: 'L-123' });
  });

  it('should redact personal data at any depth when an event payload is logged', () => {
    const out = new LogCapture();
    const guest = {
      givenName: 'Anna',
      familyName: 'Jansen',
      email: 'anna@example.com',
      phone: '+31201234567',
    };
    createLogger({ service: 'profiles', destination: out }).warn(
      { data: { stayId: 's-1', guest }, batch: [{ event: { data: { guest } } }] },
      'stay-completed rejected',
    );
    const raw = JSON.stringify(out.lines[0]);
    for (const value of Object.values(guest)) expect(raw).not.toContain(value);
    expect(out.lines[0].data).toMatchObject({ stayId: 's-1', guest: { phone: '[REDACTED]' } });
    expect(guest.email).toBe('anna@example.com');
  });

  it('should redact a child logger binding and survive a cycle when both occur', () => {
    const out = new LogCapture();
    const node: Record<string, unknown> = { email: 'loop@example.com' };
    node.self = node;
    createLogger({ service: 'x', destination: out })
      .child({ token: 'secret-token' })
      .info({ node }, 'cyclic');
    const raw = JSON.stringify(out.lines[0]);
    expect(raw).not.toContain('secret-token');
    expect(raw).not.toContain('loop@example.com');
  });

  it("should redact a database error's bound values and Postgres's excerpt of the failing row, keeping what failed", () => {
    const out = new LogCapture();
    const error = Object.assign(new Error('null value in column "channel" violates not-null constraint'), {
      query: 'insert into complaints (id, description, channel) values ($1, $2, $3)',
      parameters: ['c-1', 'Mrs Vandersloot in room 412, diabetic, called from 020 123 4567', null],
      detail: 'Failing row contains (c-1, Mrs Vandersloot in room 412, null).',
      code: '23502',
      table: 'complaints',
    });
    createLogger({ service: 'complaints', destination: out }).error({ err: error }, 'request failed');
    const raw = JSON.stringify(out.lines[0]);
    expect(raw).not.toContain('Vandersloot');
    expect(out.lines[0].err).toMatchObject({
      query: 'insert into complaints (id, description, channel) values ($1, $2, $3)',
      parameters: '[REDACTED]',
      detail: '[REDACTED]',
      code: '23502',
      table: 'complaints',
    });
  });

  it("should redact personal data in a logged error's own properties", () => {
    const out = new LogCapture();
    const error = Object.assign(new Error('insert failed'), {
      data: [{ email: 'anna@example.com', guestId: 'g-1' }],
      guest: { familyName: 'Jansen' },
    });
    createLogger({ service: 'profiles', destination: out }).error({ err: error }, 'stay not recorded');
    const raw = JSON.stringify(out.lines[0]);
    expect(raw).not.toContain('Jansen');
    expect(out.lines[0].err).toMatchObject({
      type: 'Error',
      message: 'insert failed',
      data: [{ email: '[REDACTED]', guestId: 'g-1' }],
      guest: { familyName: '[REDACTED]' },
    });
  });

  it('should redact email addresses and international phone numbers written into messages and error text', () => {
    const out = new LogCapture();
    const logger = createLogger({ service: 'profiles', destination: out });
    logger.warn('no guest for anna.jansen+stays@mail.example.co.uk or +31 20 123 4567');
    logger.error(
      { err: Object.assign(new Error('duplicate key'), { hint: 'Key (email)=(a.b@example.com) exists' }) },
      'failed',
    );
    logger.info({ offset: '+0100', count: 12345678, at: '2025-01-01T10:00:00+01:00' }, 'kept');
    const [message, error, kept] = out.lines;
    expect(message.msg).toBe('no guest for [REDACTED] or [REDACTED]');
    expect((error.err as { hint: string }).hint).toBe('Key (email)=([REDACTED]) exists');
    expect(kept).toMatchObject({ offset: '+0100', count: 12345678, at: '2025-01-01T10:00:00+01:00' });
  });

  it.each([
    ['a local part in another script', 'josé.müller@example.com'],
    ['an apostrophe', "o'brien@example.ie"],
    ['an internationalised domain', 'anna@bücher.de'],
  ])('should redact an address with %s written into a message', (_, address) => {
    const out = new LogCapture();
    createLogger({ service: 'surveys', destination: out }).warn(`comment mentions ${address}, please call`);
    expect(out.lines[0].msg).toBe('comment mentions [REDACTED], please call');
  });

  it('should keep the line valid JSON when an address follows an escape, and leave versions and signed ids alone', () => {
    const out = new LogCapture();
    const logger = createLogger({ service: 'profiles', destination: out });
    logger.warn('no guest for:\nanna@example.com\t\u0001ben@example.com');
    logger.info({ version: '1.0.0+20130313144700', ref: 'ab+12345678cd' }, 'kept');
    const [escaped, kept] = out.lines;
    expect(escaped.msg).toBe('no guest for:\n[REDACTED]\t\u0001[REDACTED]');
    expect(kept).toMatchObject({ version: '1.0.0+20130313144700', ref: 'ab+12345678cd' });
  });

  it('should drop lines below the level when a level is set', () => {
    const out = new LogCapture();
    const logger = createLogger({ service: 'x', level: 'warn', destination: out });
    logger.info('hidden');
    logger.error('shown');
    expect(out.lines.map((line) => line.msg)).toEqual(['shown']);
  });
});
