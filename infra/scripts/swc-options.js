// How TypeScript is compiled where tsc's production build is not used: by jest, and by the benchmarks
// and scripts that run from source (register-ts.js). It matches tsconfig.base.json: CommonJS, ES2017,
// and object spread as Object.assign (`loose`), which is what tsc emits for ES2017. Node 20's V8 is
// 25-30x slower at adding properties to an object built by native spread (`{ ...base, id }`), and
// SWC's strict spread helper is as slow, so anything else would not run the code the way production does.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2017',
    loose: true,
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
