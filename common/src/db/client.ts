import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DATABASE_STATEMENT_TIMEOUT_MS } from '../constants';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

export interface CreateDbOptions {
  /** Pool size; postgres.js opens connections lazily up to this many. */
  max?: number;
}

/** Opens a pool on `url`. Most code wants the process-wide `getDb()` instead. */
export function createDb(url: string, options: CreateDbOptions = {}): Db {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: {
      // Timestamps are compared and shown as instants; keep the session in UTC.
      TimeZone: 'UTC',
      // A stuck lock holder cannot tie up the whole pool forever.
      statement_timeout: DATABASE_STATEMENT_TIMEOUT_MS,
    },
  });
  return drizzle(client, { schema });
}

/** Closes a pool made by `createDb`. */
export async function closeDb(db: Db): Promise<void> {
  await db.$client.end({ timeout: 5 });
}
