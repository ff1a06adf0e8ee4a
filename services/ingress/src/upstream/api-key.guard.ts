import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { IngressConfig } from '../config/ingress.config';
import { ApiKeys, type UpstreamSystem } from './api-keys';

/** The little of an HTTP request the ingress reads; the guard adds the calling system. */
export interface UpstreamRequest {
  header(name: string): string | undefined;
  upstream: UpstreamSystem;
}

/** Upstream systems authenticate with their own API key (`X-Api-Key`), not with staff tokens. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: ApiKeys;

  constructor(config: IngressConfig) {
    this.keys = ApiKeys.parse(config.INGRESS_API_KEYS);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<UpstreamRequest>();
    const presented = request.header('x-api-key');
    const system = this.keys.identify(presented);
    if (!system) {
      const code = presented ? 'API_KEY_INVALID' : 'API_KEY_MISSING';
      const message = presented
        ? 'the X-Api-Key header names no upstream system'
        : 'send your system’s key in X-Api-Key';
      throw new HttpException(
        { statusCode: 401, error: 'Unauthorized', code, message },
        HttpStatus.UNAUTHORIZED,
      );
    }
    request.upstream = system;
    return true;
  }
}
