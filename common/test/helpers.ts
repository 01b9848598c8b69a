import { afterAll, inject } from 'vitest';
import { closeDb, createDb, type Db } from '../src/db/index';

/**
 * A pool on this run's test database, closed after the file's tests. `max`
 * is how many connections the concurrent tests get: each in-flight call of a
 * `Promise.all` runs on its own connection.
 */
export function useTestDb(max = 10): Db {
  const db = createDb(inject('databaseUrl'), { max });
  afterAll(() => closeDb(db));
  return db;
}

export const APP_URL = 'http://localhost:3000';
