import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An RSA key pair and a JWKS endpoint on 127.0.0.1 publishing its public half, for RS256 tests. */
export interface JwksFixture {
  url: string;
  kid: string;
  privateKey: KeyObject;
  /** How many times the key set was fetched. */
  requests(): number;
  close(): Promise<void>;
}

export async function startJwksServer(kid = 'test-key-1'): Promise<JwksFixture> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  let requests = 0;
  const server: Server = createServer((req, res) => {
    // `connection: close` so no keep-alive socket outlives the test.
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404, { connection: 'close' }).end();
      return;
    }
    requests += 1;
    res
      .writeHead(200, { 'content-type': 'application/json', connection: 'close' })
      .end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    kid,
    privateKey,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
