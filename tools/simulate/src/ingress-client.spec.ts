import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postBatch } from './ingress-client';

/** A stand-in ingress that answers each request with the next scripted reply. */
async function ingressReplying(replies: ('drop' | number)[]) {
  const received: { apiKey?: string; events: unknown[] }[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ apiKey: request.headers['x-api-key'] as string, events: JSON.parse(body).events });
      const reply = replies.shift() ?? 200;
      if (reply === 'drop') return request.socket.destroy();
      response.writeHead(reply, { 'content-type': 'application/json' }).end('{"code":"SCRIPTED"}');
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
});
