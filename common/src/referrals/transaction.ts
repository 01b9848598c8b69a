import type postgres from 'postgres';
import { TRANSACTION_RETRY_ATTEMPTS } from '../constants';
import { fail, type Failure } from '../errors';

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function isRetryableDatabaseError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const BUSY_FAILURE_MESSAGE =
  'The database was too busy to finish this; nothing was changed. Please try again.';

/**
 * Runs `work` again when PostgreSQL aborts it with a serialization failure or
 * a deadlock, a bounded number of times with a short jittered pause; after the
 * last try it answers `internal` with a clear message. Other errors propagate.
 */
export async function withTransactionRetry<T>(
  work: () => Promise<T>,
  attempts: number = TRANSACTION_RETRY_ATTEMPTS,
): Promise<T | Failure<'internal'>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryableDatabaseError(error)) throw error;
      if (attempt >= attempts) return fail('internal', { message: BUSY_FAILURE_MESSAGE });
      await sleep(Math.random() * 10 * attempt);
    }
  }
}

/**
 * Runs the statements of one transaction in a single round trip: BEGIN, the
 * statements and COMMIT are pipelined on one reserved connection. PostgreSQL
 * still runs them one after another, so each statement sees what the previous
 * one locked (under READ COMMITTED every statement takes a fresh snapshot).
 * If a statement fails, the ones after it fail with 25P02 and COMMIT turns
 * into ROLLBACK: nothing is half done. Returns each statement's rows.
 */
export async function pipelinedTransaction<T extends readonly unknown[]>(
  sql: postgres.Sql,
  statements: (tx: postgres.ReservedSql) => { [K in keyof T]: postgres.PendingQuery<postgres.Row[]> },
): Promise<{ [K in keyof T]: postgres.RowList<postgres.Row[]> }> {
  const tx = await sql.reserve();
  try {
    const pending = [tx`begin`, ...statements(tx), tx`commit`];
    const settled = await Promise.allSettled(pending);
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    if (failures.length > 0) {
      // The first failure is the cause; later ones are "current transaction is aborted".
      throw failures.find((e) => sqlState(e) !== '25P02') ?? failures[0];
    }
    const rows = settled.map((s) => (s as PromiseFulfilledResult<postgres.RowList<postgres.Row[]>>).value);
    return rows.slice(1, -1) as { [K in keyof T]: postgres.RowList<postgres.Row[]> };
  } finally {
    tx.release();
  }
}
