import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ContractViolationCode, DEAD_LETTER_HEADERS, EVENT_TYPES, HANDLING_FAILURES } from '../index';
import { ASYNCAPI_FILE, buildAsyncApiDocument, renderAsyncApiYaml } from './index';

type Node = Record<string, unknown>;

function resolve(document: Node, pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node as Node | undefined)?.[part], document);
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' ? [value as string] : refsIn(value)));
}

describe('asyncapi.yaml', () => {
  it('should match what the contracts generate (the document cannot drift from the code)', () => {
    const generated = renderAsyncApiYaml();
    const onDisk = existsSync(ASYNCAPI_FILE) ? readFileSync(ASYNCAPI_FILE, 'utf8') : '';

    if (onDisk !== generated) {
      throw new Error('asyncapi.yaml is out of date: run `npm run contracts:asyncapi`');
    }
  });

  it('should be YAML that reads back as the generated document', () => {
    expect(parse(readFileSync(ASYNCAPI_FILE, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(buildAsyncApiDocument())),
    );
  });
});

describe('buildAsyncApiDocument', () => {
  const document = buildAsyncApiDocument() as Node & { channels: Node; operations: Node; components: Node };

  it('should resolve every $ref within the document', () => {
    const unresolved = refsIn(document).filter((ref) => resolve(document, ref) === undefined);

    expect(unresolved).toEqual([]);
  });

  it('should have a channel per topic and per dead-letter topic with the key documented per message', () => {
    const addresses = Object.values(document.channels).map((channel) => (channel as Node).address);

    for (const type of EVENT_TYPES) expect(addresses).toEqual(expect.arrayContaining([type, `${type}.dlq`]));
    for (const message of Object.values(document.components.messages as Node)) {
      if ((message as Node).name !== 'dead-letter') {
        expect(message).toMatchObject({ bindings: { kafka: { key: { type: 'string' } } } });
      }
    }
  });

  it('should document every header a dead letter carries and every reason it can give', () => {
    const deadLetter = (document.components.messages as Record<string, Node>).deadLetter as Node & {
      headers: { properties: Record<string, { description: string }> };
    };
    const headers = deadLetter.headers.properties;

    expect(Object.keys(headers).sort()).toEqual(Object.values(DEAD_LETTER_HEADERS).sort());
    for (const reason of [...Object.values(ContractViolationCode), ...Object.values(HANDLING_FAILURES)])
      expect(headers[DEAD_LETTER_HEADERS.reason].description).toContain(`\`${reason}\``);
  });

  it('should have a send operation by the producer of every event type', () => {
    for (const type of EVENT_TYPES) {
      const sends = Object.values(document.operations).filter(
        (op) =>
          (op as Node).action === 'send' &&
          (op as { channel: Node }).channel.$ref === resolveChannelRef(type),
      );
      expect(sends).toHaveLength(1);
    }
  });

  it('should document every payload field so the public contract is explained', () => {
    const schemas = document.components.schemas as Record<string, { properties?: Record<string, Node> }>;
    const undocumented = Object.entries(schemas).flatMap(([name, schema]) =>
      Object.entries(schema.properties ?? {})
        .filter(([, property]) => !property.description && !('const' in property))
        .map(([field]) => `${name}.${field}`),
    );

    expect(undocumented).toEqual([]);
  });

  it('should tell property systems the upstream contract, with its dead-letter topic', () => {
    const stayCompleted = document.channels.stayCompleted as { description: string };

    expect(stayCompleted.description).toContain('Contract for property systems');
    expect(stayCompleted.description).toContain('`stay-completed.dlq`');
    expect(stayCompleted.description).toContain('`AMS01:R2025-000123`');
  });
});

function resolveChannelRef(type: string): string {
  return `#/channels/${type.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())}`;
}
