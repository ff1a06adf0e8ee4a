/**
 * Calls to a service's staff API with one bearer token, each of which must succeed: a refusal throws with
 * the service's answer. Answers the response's JSON body (undefined when it has none).
 */
export function staffApi(service: string, baseUrl: string, token: string) {
  return async <T = unknown>(
    method: string,
    path: string,
    body?: object,
    idempotencyKey?: string,
  ): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${service} answered ${response.status} to ${method} ${path}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
