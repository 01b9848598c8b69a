import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DATABASE_STATEMENT_TIMEOUT_MS } from '../constants';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

/**
 * Longest wait, in seconds, before a pool connection that lost the server tries
 * again. postgres.js's default backoff grows to 20 s on a retry count that all
 * the pool's connections (and its LISTEN connection) share and only a success
 * resets: a 2-second database restart left requests queued, and the backend
 * deaf to NOTIFY, for up to 20 s after the database was back.
 */
const RECONNECT_BACKOFF_MAX_SECONDS = 1;

/** 50 ms doubling per failed attempt, capped, with jitter so the connections do not retry in step. */
function reconnectBackoff(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, RECONNECT_BACKOFF_MAX_SECONDS);
}

export interface CreateDbOptions {
  /** Pool size; postgres.js opens connections lazily up to this many. */
  max?: number;
}

/** Opens a pool on `url`. Most code wants the process-wide `getDb()` instead. */
export function createDb(url: string, options: CreateDbOptions = {}): Db {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    backoff: reconnectBackoff,
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
