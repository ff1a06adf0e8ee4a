import { BadRequestException, HttpStatus, NotFoundException, ParseUUIDPipe } from '@nestjs/common';
import { withCode } from './coded-http-exception-filter';

async function refusalOf(run: () => Promise<unknown>): Promise<{ status: number; body: object }> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { status: error.getStatus(), body: error.getResponse() as object };
  }
  throw new Error('nothing was refused');
}

describe('withCode', () => {
  it("should give a malformed path id Nest's refusal a code and its message", async () => {
    const { status, body } = await refusalOf(() =>
      new ParseUUIDPipe().transform('not-a-uuid', { type: 'param', data: 'guestId' }),
    );
    expect(withCode(status, body)).toEqual({
      code: 'BAD_REQUEST',
      message: 'Validation failed (uuid is expected)',
    });
  });

  it('should name the code after the status and keep a plain message', () => {
    const unknownRoute = new NotFoundException('Cannot GET /nowhere');
    expect(withCode(unknownRoute.getStatus(), unknownRoute.getResponse())).toEqual({
      code: 'NOT_FOUND',
      message: 'Cannot GET /nowhere',
    });
    expect(withCode(HttpStatus.PAYLOAD_TOO_LARGE, 'too big')).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'too big',
    });
  });

  it('should send a body that has a code as it is', () => {
    const body = { code: 'VALIDATION_FAILED', message: 'the request is invalid', errors: [] };
    expect(withCode(HttpStatus.BAD_REQUEST, body)).toBe(body);
  });
});
