import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenVerifier } from '../token/token-verifier';
import { JwtAuthGuard } from './jwt-auth.guard';

describe('JwtAuthGuard', () => {
  it('should let the call through without looking for a token when the context is not HTTP', async () => {
    const verifier = new TokenVerifier({ jwtSecret: 'x'.repeat(32) });
    const verify = jest.spyOn(verifier, 'verify');
    const guard = new JwtAuthGuard(new Reflector(), verifier);
    const rpcContext = { getType: () => 'rpc' } as unknown as ExecutionContext;

    await expect(guard.canActivate(rpcContext)).resolves.toBe(true);
    expect(verify).not.toHaveBeenCalled();
  });
});
