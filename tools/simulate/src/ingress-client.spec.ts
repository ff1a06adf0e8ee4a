import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postBatch } from './ingress-client';

/** A stand-in ingress that answers each request with the next scripted reply. */
async function ingressReplying(
  replies: ('drop' | number | { status: number; retryAfter?: string; body?: unknown })[],
) {
  const received: { apiKey?: string; events: unknown[] }[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ apiKey: request.headers['x-api-key'] as string, events: JSON.parse(body).events });
      const reply = replies.shift() ?? 200;
      if (reply === 'drop') return request.socket.destroy();
      const {
        status,
        retryAfter,
        body: replyBody = { code: 'SCRIPTED' },
      } = typeof reply === 'number' ? { status: reply } : reply;
      const headers = retryAfter ? { 'retry-after': retryAfter } : {};
      response
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(replyBody));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('postBatch', () => {
  const fast = { retryDelayMs: 1 };

  it('sends the same batch again when the connection drops or the ingress asks it to slow down', async () => {
    const ingress = await ingressReplying(['drop', 429, 'drop', 200]);
    try {
      await postBatch(ingress.url, 'key-a', [{ id: 'e1' }, { id: 'e2' }], fast);
      expect(ingress.received).toHaveLength(4);
      for (const request of ingress.received) {
        expect(request).toEqual({ apiKey: 'key-a', events: [{ id: 'e1' }, { id: 'e2' }] });
      }
    } finally {
      await ingress.close();
    }
  });

  it('should return the code of each item the ingress rejected when it took the batch', async () => {
    const results = [
      { index: 0, id: 'e1', status: 'accepted' },
      { index: 1, status: 'rejected', code: 'NOT_JSON' },
      { index: 2, id: 'e1', status: 'duplicate' },
      { index: 3, id: 'e3', status: 'rejected', code: 'INVALID_DATA' },
      { index: 4, id: 'e4', status: 'rejected', code: 'INVALID_DATA' },
    ];
    const ingress = await ingressReplying([
      { status: 200, body: { accepted: 1, duplicates: 1, rejected: 3, results } },
    ]);
    try {
      await expect(postBatch(ingress.url, 'key-a', [{ id: 'e1' }], fast)).resolves.toEqual([
        'NOT_JSON',
        'INVALID_DATA',
        'INVALID_DATA',
      ]);
    } finally {
      await ingress.close();
    }
  });

  it('gives up once the connection has dropped on every attempt', async () => {
    const ingress = await ingressReplying(['drop', 'drop', 'drop']);
    try {
      await expect(
        postBatch(ingress.url, 'key-a', [{ id: 'e1' }], { ...fast, connectionAttempts: 3 }),
      ).rejects.toThrow('fetch failed');
      expect(ingress.received).toHaveLength(3);
    } finally {
      await ingress.close();
    }
  });

  it('fails at once with the status and body of any other refusal', async () => {
    const ingress = await ingressReplying([401]);
    try {
      await expect(postBatch(ingress.url, 'wrong', [{ id: 'e1' }], fast)).rejects.toThrow(
        'ingress answered 401: {"code":"SCRIPTED"}',
      );
      expect(ingress.received).toHaveLength(1);
    } finally {
      await ingress.close();
    }
  });

  it('sends the batch again after Retry-After while Kafka does not confirm it (503), a bounded number of times', async () => {
    const recovering = await ingressReplying([{ status: 503, retryAfter: '1' }, 503, 200]);
    try {
      const started = Date.now();
      await postBatch(recovering.url, 'key-a', [{ id: 'e1' }], fast);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(recovering.received).toHaveLength(3);
    } finally {
      await recovering.close();
    }
    const down = await ingressReplying([503, 503, 503, 503]);
    try {
      await expect(
        postBatch(down.url, 'key-a', [{ id: 'e1' }], { ...fast, unconfirmedAttempts: 3 }),
      ).rejects.toThrow('ingress answered 503');
      expect(down.received).toHaveLength(3);
    } finally {
      await down.close();
    }
  });
});
