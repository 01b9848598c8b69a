import type postgres from 'postgres';
import { REFERRAL_EVENTS_BATCH_MS, REFERRAL_EVENTS_CHANNEL } from '../constants';

/** NOTIFY payloads must stay under 8000 bytes (PostgreSQL's limit, in bytes of the server encoding, UTF-8). */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7900;

interface Pending {
  json: string;
  /** The JSON's length in UTF-8 bytes, not in UTF-16 units: a CJK character is one unit and three bytes. */
  bytes: number;
  resolve: () => void;
}

const queues = new WeakMap<postgres.Sql, Pending[]>();

async function flush(sql: postgres.Sql, queue: Pending[]) {
  while (queue.length > 0) {
    // As many events as fit in one payload (a JSON array), in order.
    const batch: Pending[] = [];
    let size = 2;
    while (queue.length > 0 && (batch.length === 0 || size + queue[0]!.bytes + 1 <= MAX_NOTIFY_PAYLOAD_BYTES)) {
      const next = queue.shift()!;
      size += next.bytes + 1;
      batch.push(next);
    }
    try {
      await sql.notify(REFERRAL_EVENTS_CHANNEL, `[${batch.map((p) => p.json).join(',')}]`);
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', msg: 'could not announce referral changes', error: String(error) }));
    }
    for (const pending of batch) pending.resolve();
  }
  queues.delete(sql);
}

/**
 * Announces a committed referral change (the `result_event` of the database
 * functions) on REFERRAL_EVENTS_CHANNEL, for every backend process to push to
 * the users' open pages. Called only after the change committed, so a
 * rolled-back change is never announced. Changes announced within
 * REFERRAL_EVENTS_BATCH_MS share one NOTIFY (a JSON array): each NOTIFY takes
 * PostgreSQL's global notify lock, so fewer of them keep redemptions fast
 * under load. A failure
 * to announce loses a live update, never data: it is logged, and the
 * operation still succeeds.
 */
export function announceReferralChange(sql: postgres.Sql, event: unknown): Promise<void> {
  if (event === null || event === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    let queue = queues.get(sql);
    const fresh = !queue;
    if (!queue) queues.set(sql, (queue = []));
    const json = JSON.stringify(event);
    queue.push({ json, bytes: Buffer.byteLength(json, 'utf8'), resolve });
    if (fresh) setTimeout(() => void flush(sql, queue), REFERRAL_EVENTS_BATCH_MS);
  });
}
