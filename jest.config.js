// One jest run for the whole monorepo, in two projects: unit specs sit beside the code they test;
// integration specs (services/*/test, libs/*/test) run against a real Kafka, Postgres and Redis that
// the global setup finds or starts. Code is compiled by SWC to what `tsc` emits for production
// (infra/scripts/swc-options.js), so tests run the code the way the services run it.
const swc = ['@swc/jest', require('./infra/scripts/swc-options')];

// Each test file runs in a vm sandbox, where a module's every lookup of a global built-in takes V8's slow
// path: a service's event-handling mix ran about 2.4 times slower there than in Node. Handed in as module
// parameters, these are local variables, the same objects at the speed production has. Not Date or the
// timers: fake timers replace them on the global after modules have loaded. Not Buffer or process:
// libraries declare their own at the top of a module (ioredis's parser, commander), which a parameter of
// the same name would make a syntax error.
const sandboxInjectedGlobals = [
  ...['Object', 'Array', 'JSON', 'Math', 'Promise', 'Reflect', 'Symbol'],
  ...['Map', 'Set', 'WeakMap', 'String', 'Number', 'Boolean', 'BigInt'],
  ...['Error', 'TypeError', 'RangeError', 'Uint8Array'],
];

const shared = {
  testEnvironment: 'node',
  sandboxInjectedGlobals,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@loyalty/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@loyalty/([a-z-]+)/([a-z-]+)$': '<rootDir>/libs/$1/src/$2.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/infra/.cache/'],
};

const integration = {
  ...shared,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-integration-setup.ts'],
  slowTestThreshold: 30,
};

module.exports = {
  // Jest loads every file's modules afresh, and a worker's heap grew past 1.2 GB by the end of the run.
  // Tearing such a heap down at exit took longer than the 0.5 s jest-worker allows, so it force-exited
  // a worker whose event loop was already empty. A worker past this limit after a file is replaced.
  workerIdleMemoryLimit: '700MB',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tools}/*/src/**/*.spec.ts'] },
    {
      ...integration,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,tools}/*/test/**/*.int-spec.ts'],
    },
    // Tests that stop Postgres or kill services: run alone (--runInBand), after the others.
    {
      ...integration,
      displayName: 'disruptive',
      testMatch: ['<rootDir>/{libs,services,tools}/*/test/**/*.disruptive-spec.ts'],
    },
  ],
};
