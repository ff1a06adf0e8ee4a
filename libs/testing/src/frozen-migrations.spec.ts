import { forbiddenLoads } from './frozen-migrations';

describe('the frozen-migration check', () => {
  it.each([
    [
      "import { SYSTEM_ACTOR } from '../complaints/complaint-record';",
      'import ../complaints/complaint-record',
    ],
    ["import { AUDIT_VIEW } from './audit-view';", 'import ./audit-view'],
    ["import { addDays } from '@loyalty/time';", 'import @loyalty/time'],
    ["import * as time from '@loyalty/time';", 'import @loyalty/time'],
    ["import '../sla/register';", 'import ../sla/register'],
    ["import { type QueryRunner } from 'typeorm';", 'import typeorm'],
    ["import { Table } from 'typeorm';", 'import typeorm'],
    ["export { AUDIT_VIEW } from './audit-view';", 'export from ./audit-view'],
    ["export * from '@loyalty/time';", 'export from @loyalty/time'],
    ["import time = require('@loyalty/time');", 'import = require @loyalty/time'],
    ["const { policyById } = require('../domain');", 'require() ../domain'],
    ['const domain = require(`../domain`);', 'require() ../domain'],
    ["async function f() { return import('../domain'); }", 'import() ../domain'],
    ["const where = '../domain'; require(where);", 'require() <dynamic>'],
    ["const load = require; load('../domain');", 'require <dynamic>'],
    ["const m = module.require('../domain');", 'require <dynamic>'],
  ])('should refuse a migration when it loads a module: %s', (source, load) => {
    expect(forbiddenLoads(source)).toEqual([load]);
  });

  it.each([
    "import type { MigrationInterface, QueryRunner } from 'typeorm';",
    "import type { SlaPolicy } from '../domain';",
    "export type { Calendar } from './calendar';",
    "import { randomUUID } from 'node:crypto';",
    "const note = 'the service used to require(../domain) and import(@loyalty/time)';",
  ])('should let a migration through when it loads no module of ours: %s', (source) => {
    expect(forbiddenLoads(source)).toEqual([]);
  });
});
