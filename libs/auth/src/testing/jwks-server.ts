import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An RSA key pair and a JWKS endpoint on 127.0.0.1 publishing its public half, for RS256 tests. */
export interface JwksFixture {
  url: string;
  /** A URL on the same server that answers with a redirect to `url`. */
  redirectingUrl: string;
  kid: string;
  privateKey: KeyObject;
  /** How many times the key set was asked for, failed answers included. */
  requests(): number;
  /** While false, the endpoint answers 503, as an IdP in an outage would. */
  setAvailable(available: boolean): void;
  close(): Promise<void>;
}

export interface JwksServerOptions {
  /** Publish the key without its `kid`, as some IdPs with a single key do. */
  withoutKid?: boolean;
}

export async function startJwksServer(
  kid = 'test-key-1',
  options: JwksServerOptions = {},
): Promise<JwksFixture> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...publicKey.export({ format: 'jwk' }),
    ...(!options.withoutKid && { kid }),
    alg: 'RS256',
    use: 'sig',
  };
  let requests = 0;
  let available = true;
  const server: Server = createServer((req, res) => {
    // `connection: close` so no keep-alive socket outlives the test.
    if (req.url === '/moved/jwks.json') {
      res.writeHead(302, { location: '/.well-known/jwks.json', connection: 'close' }).end();
      return;
    }
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404, { connection: 'close' }).end();
      return;
    }
    requests += 1;
    if (!available) {
      res.writeHead(503, { connection: 'close' }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json', connection: 'close' })
      .end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    redirectingUrl: `http://127.0.0.1:${port}/moved/jwks.json`,
    kid,
    privateKey,
    requests: () => requests,
    setAvailable: (value) => (available = value),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
