import { afterAll, inject } from 'vitest';
import { closeDb, createDb, type Db } from '../db/client';

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
