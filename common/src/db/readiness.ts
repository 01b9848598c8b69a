import { readFileSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { functionDefinitions } from './functions';
import { MIGRATIONS_FOLDER } from './migrate';

// Readiness (docs/operations.md, "Health checks"): whether this process can
// serve, as far as the database goes: it answers, and its migrations and
// database functions are the ones this build carries. A load balancer sends
// traffic only to processes that say so.

export interface DatabaseReadiness {
  ready: boolean;
  /** What is wrong, in words; empty when ready. */
  problems: string[];
  /** Migrations applied in the database, and how many this build carries. */
  migrations: { applied: number; expected: number } | null;
}

/** How many migrations this build carries (drizzle-kit's journal). */
function expectedMigrations(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/** Checks the database within `timeoutMs`: reachable, migrated at least to this build, functions exactly this build's. */
export async function databaseReadiness(sql: postgres.Sql, timeoutMs = 2_000): Promise<DatabaseReadiness> {
  const check = async (): Promise<DatabaseReadiness> => {
    const expected = expectedMigrations();
    const [row] = await sql<{ applied: number }[]>`select count(*)::int as applied from drizzle.__drizzle_migrations`;
    const applied = row?.applied ?? 0;
    const problems: string[] = [];
    if (applied < expected) problems.push(`migrations: ${applied} applied, this build needs ${expected}`);
    const inDatabase = new Map(
      (await sql<{ name: string; sha256: string }[]>`select name, sha256 from schema_function`).map((r) => [r.name, r.sha256]),
    );
    const stale = functionDefinitions().filter((d) => inDatabase.get(d.name) !== d.sha256).map((d) => d.name);
    if (stale.length > 0) problems.push(`database functions not at this build's version: ${stale.join(', ')}`);
    return { ready: problems.length === 0, problems, migrations: { applied, expected } };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseReadiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, problems: [`database: no answer within ${timeoutMs} ms`], migrations: null }), timeoutMs);
  });
  try {
    return await Promise.race([
      // Not the error itself: the answer is public, and may name hosts or users.
      check().catch(() => ({ ready: false, problems: ['database: unreachable'], migrations: null })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
