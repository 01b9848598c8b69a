import { getDb, type Db } from '@app/common/db';

/** The process's one database pool (DATABASE_URL, or the embedded PostgreSQL), migrated. */
export function db(): Promise<Db> {
  return getDb();
}
