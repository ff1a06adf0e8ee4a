import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildAsyncApiDocument } from './build-asyncapi-document';

/** Where the generated document lives, committed beside the library. */
export const ASYNCAPI_FILE = join(__dirname, '..', '..', 'asyncapi.yaml');

const HEADER = '# Generated from libs/contracts by `npm run contracts:asyncapi`. Do not edit by hand.\n';

/**
 * The document as YAML. Single quotes and unwrapped lines are what the repository's prettier settings
 * produce too, so `npm run format` leaves the file as generated.
 */
export function renderAsyncApiYaml(): string {
  return (
    HEADER +
    stringify(buildAsyncApiDocument(), {
      aliasDuplicateObjects: false,
      lineWidth: 0,
      singleQuote: true,
      // Quote what YAML 1.1 parsers (js-yaml, used by AsyncAPI tools) would read as dates or booleans.
      schema: 'yaml-1.1',
    })
  );
}
