import { randomUUID } from 'node:crypto';
import { CorrelationContext, LOGGER, type Logger } from '@loyalty/observability';
import { FixtureConfig, FixtureModule, TestStage, waitUntil, type InProcessService } from '@loyalty/testing';

const BODY_LIMIT_BYTES = 4096;
const OVERSIZED_BODY = JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT_BYTES) });

/** A `request completed` line, with the correlation id it was logged under. */
interface RequestLine {
  status: number;
  route: string;
  correlationId?: string;
}

describe('the request context of a service on the platform, over HTTP', () => {
  let stage: TestStage;
  let service: InProcessService;
  const requestLines: RequestLine[] = [];

  beforeAll(async () => {
    stage = await TestStage.create('request_context');
    service = await stage.start(FixtureModule, FixtureConfig, {
      HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
    });
    // Refusals are logged at warn; the pino line takes its correlation id from the context it is logged in.
    jest
      .spyOn(service.app.get<Logger>(LOGGER), 'warn')
      .mockImplementation((fields: unknown, msg?: unknown) => {
        if (msg !== 'request completed') return;
        const { correlationId } = CorrelationContext.current() ?? {};
        requestLines.push({ ...(fields as Omit<RequestLine, 'correlationId'>), correlationId });
      });
  });

  afterAll(() => stage?.close());

  /** `http_requests_total` of `method` answered `status` on `route`. */
  async function counted(method: string, route: string, status: number): Promise<number> {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const labels = [`method="${method}"`, `route="${route}"`, `status="${status}"`];
    return [...text.matchAll(/^http_requests_total\{(.*)\} (\d+)$/gm)]
      .filter(([, found]) => labels.every((label) => found.includes(label)))
      .reduce((sum, [, , count]) => sum + Number(count), 0);
  }

  it.each<{
    refused: string;
    headers: Record<string, string>;
    body: string | Buffer;
    status: number;
    answer: object;
  }>([
    {
      refused: 'a body over the size limit',
      headers: {},
      body: OVERSIZED_BODY,
      status: 413,
      answer: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `the request body of ${OVERSIZED_BODY.length} bytes is over the limit of ${BODY_LIMIT_BYTES} bytes`,
      },
    },
    {
      refused: 'a body that is not JSON',
      headers: {},
      body: '{"stay": ',
      status: 400,
      answer: { code: 'BAD_REQUEST', message: expect.stringMatching(/JSON/) },
    },
    {
      refused: 'a JSON body with a byte that is no UTF-8',
      headers: {},
      body: Buffer.concat([Buffer.from('{"familyName": "M'), Buffer.from([0xfc]), Buffer.from('ller"}')]),
      status: 400,
      answer: { code: 'BAD_REQUEST', message: 'the request body is not UTF-8' },
    },
    {
      refused: 'a body in an encoding the parser does not know',
      headers: { 'content-encoding': 'compress' },
      body: '{}',
      status: 415,
      answer: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'unsupported content encoding "compress"' },
    },
  ])(
    'should log $refused once with its correlation id, count it once as unmatched, and answer $status as before',
    async ({ headers, body, status, answer }) => {
      const correlationId = randomUUID();
      const countedBefore = await counted('POST', 'unmatched', status);
      const linesBefore = requestLines.length;

      const response = await fetch(`${service.url}/stays`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId, ...headers },
        body,
      });

      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(answer);
      expect(response.headers.get('x-correlation-id')).toBe(correlationId);
      // The request is logged and counted as its connection closes, just after the client has read the answer.
      await waitUntil('the refusal counted', async () =>
        (await counted('POST', 'unmatched', status)) > countedBefore ? true : undefined,
      );
      expect(await counted('POST', 'unmatched', status)).toBe(countedBefore + 1);
      expect(requestLines.slice(linesBefore)).toEqual([{ ...logged(status), correlationId }]);
    },
  );

  it('should still count a request a route serves under its route, once', async () => {
    const countedBefore = await counted('GET', '/health/ready', 200);

    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);

    await waitUntil('the request counted', async () =>
      (await counted('GET', '/health/ready', 200)) > countedBefore ? true : undefined,
    );
    expect(await counted('GET', '/health/ready', 200)).toBe(countedBefore + 1);
  });
});

/** The fields of the `request completed` line of a POST /stays refused before routing. */
function logged(status: number) {
  return {
    method: 'POST',
    url: '/stays',
    route: 'unmatched',
    status,
    durationMs: expect.any(Number),
  };
}
