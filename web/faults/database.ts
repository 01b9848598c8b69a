// Ways for a test to hold work inside the database, so that a fault lands
// while operations are really in flight (not before they start or after they end).
import type { Db } from '@app/common/db';

export interface RowLocks {
  /** Ends the locking statement: the waiting operations go on. */
  release(): Promise<void>;
}

/** Longest the locks are held if nobody releases them (under the pool's statement_timeout). */
const LOCK_HOLD_SECONDS = 12;

/**
 * Locks these users' rows (FOR UPDATE) for a while: a redemption of their
 * codes waits on the lock until `release`, or until the locking session dies
 * (a database restart). One statement on a pooled connection, not a
 * transaction: a transaction pins (reserves) a connection, and postgres.js
 * 3.4.9 throws an uncatchable TypeError when it writes COMMIT or ROLLBACK on
 * a reserved connection whose server went away (porsager/postgres#1208).
 */
export async function lockUsers(db: Db, userIds: string[]): Promise<RowLocks> {
  const sql = db.$client;
  const holding = sql`
    select pg_sleep(${LOCK_HOLD_SECONDS}) /* faults-lock */
    from (select count(*) from (select 1 from "user" where id in ${sql(userIds)} for update) as locked) as taken`.then(
    () => undefined,
    // Cancelled by release(), or cut by a restart: either way the locks are gone.
    (error: unknown) => console.log(`[faults] the locking statement ended: ${String(error)}`),
  );
  // The rows are locked once the statement sleeps.
  const deadline = Date.now() + 10_000;
  while ((await lockHolders(db)) === 0) {
    if (Date.now() > deadline) throw new Error('lockUsers: could not take the locks');
    await sleep(10);
  }
  return {
    release: async () => {
      await sql`select pg_cancel_backend(pid) from pg_stat_activity
        where query like '%faults-lock%' and wait_event = 'PgSleep' and pid <> pg_backend_pid()`;
      await holding;
    },
  };
}

async function lockHolders(db: Db): Promise<number> {
  const [row] = await db.$client<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity
    where query like '%faults-lock%' and wait_event = 'PgSleep' and pid <> pg_backend_pid()`;
  return row?.n ?? 0;
}

/** How many sessions of this database wait on a lock right now. */
export async function lockWaiters(db: Db): Promise<number> {
  const [row] = await db.$client<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`;
  return row?.n ?? 0;
}

/** Polls until at least `count` sessions wait on a lock; throws after `timeoutMs`. */
export async function untilLockWaiters(db: Db, count: number, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await lockWaiters(db);
    if (n >= count) return n;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${count} sessions came to wait on the locks`);
    await sleep(25);
  }
}

/** Polls `count` until it has not changed for `quietMs`; throws after `timeoutMs`. */
export async function untilQuiet(count: () => number, quietMs: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = count();
  let since = Date.now();
  for (;;) {
    await sleep(25);
    const now = count();
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= quietMs) return now;
    if (Date.now() > deadline) throw new Error(`still changing after ${timeoutMs} ms`);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
