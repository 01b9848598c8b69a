import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as drizzleMigrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { programDefaultsRow } from '../referrals/program';
import { applyFunctions } from './functions';

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Any fixed number: every process that migrates takes the same advisory lock.
const MIGRATION_LOCK_ID = 728_305_114;

/**
 * Applies the committed drizzle-kit migrations (tables, types, indexes,
 * data), then the database functions whose definition changed
 * (src/db/functions.ts), then the reference data. Safe to call from several
 * processes at once: they queue on a PostgreSQL advisory lock, and the ones
 * that come second find nothing left to apply.
 */
export async function migrate(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    // The program's defaults (DEFAULT_PROGRAM), for the migration that creates its version 1 (0007).
    await client`select set_config('referrals.program_defaults', ${JSON.stringify(programDefaultsRow())}, false)`;
    try {
      await drizzleMigrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
      await applyFunctions(client);
      await loadDisposableEmailDomains(client);
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Reference data for the fraud signals: the disposable e-mail domains of the
 * npm package disposable-email-domains (a maintained list): its domain list
 * and its wildcard list (domains whose every subdomain is disposable too; the
 * signal matches subdomains of every listed domain: is_disposable_email).
 * Loaded when the table holds fewer than the installed lists (first start,
 * or a newer list).
 */
async function loadDisposableEmailDomains(client: postgres.Sql): Promise<void> {
  const [{ default: exact }, { default: wildcard }] = (await Promise.all([
    import('disposable-email-domains/index.json', { with: { type: 'json' } }),
    import('disposable-email-domains/wildcard.json', { with: { type: 'json' } }),
  ])) as [{ default: string[] }, { default: string[] }];
  const domains = [...new Set([...exact, ...wildcard].map((d) => d.trim().toLowerCase()).filter(Boolean))];
  const [row] = await client<{ count: number }[]>`select count(*)::int as count from disposable_email_domain`;
  if (row && row.count >= domains.length) return;
  await client`
    insert into disposable_email_domain (domain)
    select d from unnest(${domains}::text[]) as d
    on conflict do nothing`;
}
