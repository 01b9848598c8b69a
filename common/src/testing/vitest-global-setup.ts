import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { findLedgerViolations } from '../referrals/ledger';
import { setUpTestDatabase } from './database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database of this test run (see setUpTestDatabase). */
    databaseUrl: string;
  }
}

/**
 * The vitest global setup of every package: DATABASE_URL or a throwaway
 * embedded PostgreSQL, a fresh migrated database either way, dropped at the end.
 * Before it is dropped, the quota ledger invariant (docs/referral-rules.md, "The quota ledger") is checked
 * over everything the whole suite did: a violation fails the run.
 */
export default async function setup(project: TestProject) {
  const { url, teardown } = await setUpTestDatabase(`${project.name || 'tests'}`);
  project.provide('databaseUrl', url);
  return async () => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    let violations;
    try {
      violations = await findLedgerViolations(sql);
    } finally {
      await sql.end({ timeout: 5 });
      await teardown();
    }
    if (violations.length > 0) {
      // vitest reports an error thrown here but still exits 0: fail the run explicitly.
      process.exitCode = 1;
      throw new Error(`quota ledger invariant broken for ${violations.length} user(s): ${JSON.stringify(violations.slice(0, 5))}`);
    }
  };
}
