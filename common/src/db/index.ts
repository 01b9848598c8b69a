import { databaseSettingProblem } from '../config/database-settings';
import { closeDb, createDb, type Db } from './client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { migrate } from './migrate';

export * from './client';
export * from './embedded';
export * from './migrate';
export * from './functions';
export * from './throwaway';
export * from './readiness';
export * as schema from './schema';

interface ProcessDatabase {
  db: Db;
  url: string;
  embedded: EmbeddedDatabase | null;
}

// Cached on globalThis so that Next.js hot reload does not open a new pool per reload.
const globalForDb = globalThis as typeof globalThis & { __referralsDb?: Promise<ProcessDatabase> };

/**
 * The URL of the database to use: `DATABASE_URL` when set, otherwise the
 * embedded PostgreSQL (started here, or joined if `pnpm dev` already runs it).
 */
export async function resolveDatabase(
  log: (line: string) => void = () => {},
): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) return { url, embedded: null };
  const embedded = await startEmbeddedPostgres({ log });
  return { url: embedded.url, embedded };
}

/**
 * The one database pool of this process, migrated and ready. Servers call this
 * at start; later calls return the same pool. A production server without
 * DATABASE_URL refuses (databaseSettingProblem) rather than start an
 * embedded database of its own.
 */
export function getDb(): Promise<Db> {
  const current = (globalForDb.__referralsDb ??= (async () => {
    const problem = databaseSettingProblem();
    if (problem) throw new Error(problem);
    const { url, embedded } = await resolveDatabase();
    await migrate(url);
    return { db: createDb(url), url, embedded };
  })());
  // A database that was down at start must not stay "down" for the life of the process.
  current.catch(() => {
    if (globalForDb.__referralsDb === current) globalForDb.__referralsDb = undefined;
  });
  return current.then((p) => p.db);
}

/** Closes the process pool (and the embedded server if this process started it). */
export async function shutdownDb(): Promise<void> {
  const current = globalForDb.__referralsDb;
  if (!current) return;
  globalForDb.__referralsDb = undefined;
  const { db, embedded } = await current;
  await closeDb(db);
  await embedded?.stop();
}
