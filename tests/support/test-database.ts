// The PostgreSQL that tests create their databases in: TEST_DATABASE_URL when set, else the one that
// scripts/engines/start.sh started (its engines.env), else postgresql://postgres@127.0.0.1:5432/test.
// Each stack or topology gets a fresh database, dropped at its end, so runs on a shared server never meet.

import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { enginesEnvFile, onRealEngines, realEngines } from './engines';

export function testDatabaseUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  if (existsSync(enginesEnvFile())) return realEngines().databaseUrl;
  return 'postgresql://postgres@127.0.0.1:5432/test';
}

export interface TestDatabase {
  /** Connection string of the fresh database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function onServer(sql: string, adminUrl = testDatabaseUrl()): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Whether the server answers (a test outside CI may then skip with a warning). */
export async function postgresReachable(adminUrl = testDatabaseUrl()): Promise<boolean> {
  try {
    await onServer('SELECT 1', adminUrl);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a test that needs PostgreSQL can run. On the real engines and in CI it must: an absent server fails
 * the test. Elsewhere (`npm test` on a machine without one) the test skips with a warning.
 */
export async function postgresForTest(): Promise<boolean> {
  if (await postgresReachable()) return true;
  if (onRealEngines || process.env.CI) throw new Error(`PostgreSQL is not reachable at ${testDatabaseUrl()}`);
  console.warn(`SKIPPED: PostgreSQL is not reachable at ${testDatabaseUrl()}`);
  return false;
}

let created = 0;

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const adminUrl = testDatabaseUrl();
  const name = `${prefix}_${process.pid}_${++created}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await onServer(`CREATE DATABASE ${name}`, adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, adminUrl) };
}
