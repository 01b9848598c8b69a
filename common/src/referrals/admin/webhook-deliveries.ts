import type { Db } from '../../db/client';
import { clampCount } from './limit';

export interface FailingWebhookEvent {
  eventId: string;
  type: string;
  referralId: string;
  /** 'failed': the backend gave up; 'pending': a try failed and it is still retrying. */
  status: 'pending' | 'failed';
  attempts: number;
  lastError: string | null;
  /** When the next try is due (pending only). */
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export interface WebhookDeliverySummary {
  delivered: number;
  /** Not delivered yet, and no try has failed: new, or being sent right now. */
  pending: number;
  /** A try failed (last_error); still being retried with backoff. */
  retrying: number;
  /** Given up on. */
  failed: number;
  /** When the oldest undelivered event was written (null when none waits). */
  oldestUndeliveredAt: Date | null;
  /** The failed and retrying events, newest first, at most `limit`. */
  failing: FailingWebhookEvent[];
}

/**
 * The one row of the summary: the counts cast to int (numbers), the failing
 * events as a json array (their timestamps as ISO text).
 */
type WebhookSummaryRow = {
  delivered: number;
  pending: number;
  retrying: number;
  failed: number;
  oldest_undelivered_at: string | null;
  failing: {
    event_id: string;
    type: string;
    referral_id: string;
    status: 'pending' | 'failed';
    attempts: number;
    last_error: string | null;
    next_attempt_at: string | null;
    created_at: string;
  }[];
};

// SQL, not the query builder: filtered aggregates and a json_agg of the latest failing events, in one statement.
function selectWebhookSummaryRow(db: Db, limit: number) {
  return db.$client<WebhookSummaryRow[]>`
    select
      count(*) filter (where e.status = 'delivered')::int as delivered,
      count(*) filter (where e.status = 'pending' and e.last_error is null)::int as pending,
      count(*) filter (where e.status = 'pending' and e.last_error is not null)::int as retrying,
      count(*) filter (where e.status = 'failed')::int as failed,
      min(e.created_at) filter (where e.status <> 'delivered') as oldest_undelivered_at,
      coalesce((
        select json_agg(json_build_object(
            'event_id', f.event_id, 'type', f.type, 'referral_id', f.referral_id, 'status', f.status,
            'attempts', f.attempts, 'last_error', f.last_error,
            'next_attempt_at', case when f.status = 'pending' then f.next_attempt_at end,
            'created_at', f.created_at
          ) order by f.created_at desc, f.id desc)
        from (
          select * from webhook_event w
          where w.status = 'failed' or (w.status = 'pending' and w.last_error is not null)
          order by w.created_at desc, w.id desc
          limit ${limit}
        ) f
      ), '[]'::json) as failing
    from webhook_event e`;
}

/**
 * How the webhook outbox (`webhook_event`) stands: counts by status, and the
 * events that have failed or are being retried, with their last error.
 */
export async function getWebhookDeliverySummary(options: { db: Db; limit?: number }): Promise<WebhookDeliverySummary> {
  const [row] = await selectWebhookSummaryRow(options.db, clampCount(options.limit ?? 10, 200));
  if (!row) throw new Error('getWebhookDeliverySummary: no row');
  return {
    delivered: row.delivered,
    pending: row.pending,
    retrying: row.retrying,
    failed: row.failed,
    oldestUndeliveredAt: row.oldest_undelivered_at === null ? null : new Date(row.oldest_undelivered_at),
    failing: row.failing.map((f) => ({
      eventId: f.event_id,
      type: f.type,
      referralId: f.referral_id,
      status: f.status,
      attempts: f.attempts,
      lastError: f.last_error,
      nextAttemptAt: f.next_attempt_at === null ? null : new Date(f.next_attempt_at),
      createdAt: new Date(f.created_at),
    })),
  };
}
