import { LogCapture } from '../testing/log-capture';
import { createLogger } from './create-logger';
import { PinoLoggerService } from './pino-logger.service';

describe('PinoLoggerService', () => {
  let out: LogCapture;
  let service: PinoLoggerService;

  beforeEach(() => {
    out = new LogCapture();
    service = new PinoLoggerService(createLogger({ service: 'svc', level: 'trace', destination: out }));
  });

  it('should log the message with its context when Nest passes a context name', () => {
    service.log('Mapped {/members, GET} route', 'RouterExplorer');
    expect(out.lines[0]).toMatchObject({
      level: 'info',
      msg: 'Mapped {/members, GET} route',
      context: 'RouterExplorer',
    });
  });

  it('should keep the stack apart from the context when Nest logs an error', () => {
    const stack = 'Error: boom\n    at handler (file.ts:1:1)';
    service.error('boom', stack, 'ExceptionsHandler');
    expect(out.lines[0]).toMatchObject({ level: 'error', msg: 'boom', stack, context: 'ExceptionsHandler' });
  });

  it('should not mistake a stack for the context when no context is given', () => {
    service.error('boom', 'Error: boom\n    at x (y.ts:1:1)');
    expect(out.lines[0]).not.toHaveProperty('context');
    expect(out.lines[0].stack).toContain('at x');
  });

  it('should serialise the error when an Error is logged', () => {
    service.warn(new Error('disk almost full'), 'Storage');
    expect(out.lines[0]).toMatchObject({ level: 'warn', msg: 'disk almost full', context: 'Storage' });
    expect((out.lines[0].err as Record<string, unknown>).type).toBe('Error');
  });

  it('should merge fields when an object is logged', () => {
    service.debug({ memberId: 'm-1', email: 'x@y.z' }, 'Members');
    expect(out.lines[0]).toMatchObject({
      level: 'debug',
      memberId: 'm-1',
      email: '[REDACTED]',
      context: 'Members',
    });
  });

  it('should redact personal data in params when Nest logs extra objects', () => {
    service.warn('guest lookup failed', { email: 'ada@example.com', phone: '+31201234567' }, 'Profiles');
    const raw = JSON.stringify(out.lines[0]);
    expect(raw).not.toContain('ada@example.com');
    expect(raw).not.toContain('+31201234567');
    expect(out.lines[0]).toMatchObject({ context: 'Profiles', params: [{ email: '[REDACTED]' }] });
  });

  it('should map verbose to trace and fatal to fatal when those are called', () => {
    service.verbose('fine detail');
    service.fatal('going down');
    expect(out.lines.map((line) => line.level)).toEqual(['trace', 'fatal']);
  });
});
