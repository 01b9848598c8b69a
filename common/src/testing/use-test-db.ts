import { afterAll, beforeAll, inject } from 'vitest';
import { closeDb, createDb, type Db } from '../db/client';
import { migrate } from '../db/migrate';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../db/throwaway';

/**
 * A pool on this test run's database (see vitest-global-setup), closed after
 * the file's tests. `max` is how many connections concurrent tests get: each
 * in-flight call of a `Promise.all` runs on its own connection.
 */
export function useTestDb(max = 10): Db {
  const db = createDb(inject('databaseUrl'), { max });
  afterAll(() => closeDb(db));
  return db;
}

/**
 * A database of this file's own, fresh and migrated, on the server of this
 * test run: for tests that change what every other test relies on (the
 * program's settings). `db()` is ready from the first test; everything is
 * dropped after the file.
 */
export function useOwnTestDb(max = 10): { db: () => Db; url: () => string } {
  let db: Db | null = null;
  let database: ThrowawayDatabase | null = null;
  beforeAll(async () => {
    database = await createThrowawayDatabase(inject('databaseUrl'), 'referrals_own_test');
    await migrate(database.url);
    db = createDb(database.url, { max });
  });
  afterAll(async () => {
    if (db) await closeDb(db);
    await database?.drop();
  });
  return {
    db: () => {
      if (!db) throw new Error('useOwnTestDb: the database is made in beforeAll');
      return db;
    },
    url: () => database!.url,
  };
}
