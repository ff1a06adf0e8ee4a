// `node -r ./infra/scripts/register-ts.js file.ts`: runs TypeScript from source, compiled as jest
// compiles it (swc-options.js, the production build's output), with the tsconfig path aliases.
const path = require('node:path');
const { addHook } = require('pirates');
const swc = require('@swc/core');
const ts = require('typescript');
const swcOptions = require('./swc-options');

const root = path.resolve(__dirname, '../..');
const tsconfig = ts.readConfigFile(path.join(root, 'tsconfig.base.json'), ts.sys.readFile);
if (tsconfig.error) throw new Error(ts.flattenDiagnosticMessageText(tsconfig.error.messageText, '\n'));
const options = {
  ...swcOptions,
  jsc: { ...swcOptions.jsc, baseUrl: root, paths: tsconfig.config.compilerOptions.paths },
};

addHook((code, filename) => swc.transformSync(code, { ...options, filename }).code, {
  exts: ['.ts'],
  ignoreNodeModules: true,
});
