// Writes libs/contracts/asyncapi.yaml: `npm run contracts:asyncapi`.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ASYNCAPI_FILE, renderAsyncApiYaml } from './render-asyncapi';

writeFileSync(ASYNCAPI_FILE, renderAsyncApiYaml());
console.log(`wrote ${relative(process.cwd(), ASYNCAPI_FILE)}`);
