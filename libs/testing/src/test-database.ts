import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { testInfrastructure } from './infrastructure';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL against the suite's database (for assertions on what a service wrote). */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
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
