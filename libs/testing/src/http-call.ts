import { mintToken, type TokenClaims } from '@loyalty/auth';
import { DEV_JWT_SECRET } from '@loyalty/config';

export interface HttpCall {
  /** Who calls: a token with these claims (signed with the development secret), or null for no token. */
  caller: TokenClaims | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpAnswer<T> {
  status: number;
  /** The JSON answer; `{}` for an empty one. */
  body: T;
}

/** Calls a service under test over HTTP, as a client with a short-lived token would. */
export async function callHttp<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  { caller, body, headers }: HttpCall,
): Promise<HttpAnswer<T>> {
  const authorization: Record<string, string> = caller
    ? { authorization: `Bearer ${mintToken(caller, DEV_JWT_SECRET, '5m')}` }
    : {};
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...authorization, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}
