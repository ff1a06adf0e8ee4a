import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { testInfrastructure } from './infrastructure';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL against the suite's database (for assertions on what a service wrote). */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * The plan Postgres picks for a query when it avoids sequential scans and sorts wherever it can: on a
   * test's few rows it would otherwise scan and sort anyway, so this shows whether an index can serve it.
   */
  planOf(sql: string, params?: unknown[]): Promise<QueryPlan>;
  drop(): Promise<void>;
}

export interface QueryPlan {
  /** The indexes the plan reads, by name. */
  indexes: string[];
  /** Whether any step sorts the rows. */
  sorts: boolean;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database per suite, so suites run in parallel and re-runs never see old data. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const { adminDatabaseUrl } = testInfrastructure();
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminDatabaseUrl, name);
  // A pool rather than one client: it reconnects by itself after tests that restart Postgres.
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  return {
    name,
    url,
    async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
      return (await pool.query(sql, params)).rows as R[];
    },
    async planOf(sql: string, params: unknown[] = []): Promise<QueryPlan> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('set local enable_seqscan = off');
        await client.query('set local enable_sort = off');
        const [row] = (await client.query(`explain (format json) ${sql}`, params)).rows as {
          'QUERY PLAN': [{ Plan: PlanNode }];
        }[];
        const nodes = nodesOf(row['QUERY PLAN'][0].Plan);
        return {
          indexes: nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : [])),
          sorts: nodes.some((node) => node['Node Type'].includes('Sort')),
        };
      } finally {
        await client.query('rollback');
        client.release();
      }
    },
    async drop(): Promise<void> {
      await pool.end();
      const dropper = new Client({ connectionString: adminDatabaseUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
