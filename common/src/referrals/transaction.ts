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
