// Retries of the server API's POSTs (docs/integration.md, "Retries"): a POST
// sent with an `Idempotency-Key` is done once per API key and Idempotency-Key.
// The first request claims the key (a row in api_idempotency, whose primary
// key lets one insert win however many arrive at once) and stores its answer;
// the same request again gets that answer. One still running makes the others
// wait for it, then answer the same.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_IDEMPOTENCY_HOURS } from '../constants';
import type { Db } from '../db/client';

/** A claim held this long without an answer belongs to a request that died: a retry takes it over. */
const ABANDONED_AFTER_SECONDS = 60;

/** How long a request waits for the same one still running before it answers `conflict`. */
const WAIT_FOR_RUNNING_MS = 15_000;

const POLL_MS = 25;

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'conflict'; message: string };

/** What identifies "the same request": method, path and body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

interface ClaimRow {
  request_hash: string;
  status: number | null;
  body: unknown;
  abandoned: boolean;
  expired: boolean;
}

/** Removes answers older than API_IDEMPOTENCY_HOURS: this key's, or (at most 500 at a time) anyone's. */
async function removeExpired(db: Db, only?: { apiKeyId: string; idempotencyKey: string }) {
  await db.$client`
    delete from api_idempotency where ctid in (
      select ctid from api_idempotency
      where created_at < now() - make_interval(hours => ${API_IDEMPOTENCY_HOURS})
        and (${only?.apiKeyId ?? null}::text is null or (api_key_id, idempotency_key) = (${only?.apiKeyId ?? null}::text, ${only?.idempotencyKey ?? null}::text))
      order by created_at limit 500)`;
}

/**
 * Claims `idempotencyKey` for this request: `claimed` (do the work, then
 * `storeIdempotentAnswer`), `replay` (the answer of the first request), or
 * `conflict` (the key was used for a different request, or the first one is
 * still running after WAIT_FOR_RUNNING_MS).
 */
export async function claimIdempotencyKey(options: {
  db: Db;
  apiKeyId: string;
  idempotencyKey: string;
  requestHash: string;
}): Promise<IdempotencyClaim> {
  const sql = options.db.$client;
  const { apiKeyId, idempotencyKey } = options;
  const deadline = Date.now() + WAIT_FOR_RUNNING_MS;
  for (;;) {
    const claimed = await sql`
      insert into api_idempotency (api_key_id, idempotency_key, request_hash)
      values (${apiKeyId}, ${idempotencyKey}, ${options.requestHash})
      on conflict do nothing
      returning 1`;
    if (claimed.length === 1) {
      // Now and then, a claim also clears old answers (the created_at index finds them).
      if (Math.random() < 0.01) await removeExpired(options.db);
      return { kind: 'claimed' };
    }
    const [row] = await sql<ClaimRow[]>`
      select request_hash, status, body,
        created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS}) as abandoned,
        created_at < now() - make_interval(hours => ${API_IDEMPOTENCY_HOURS}) as expired
      from api_idempotency where api_key_id = ${apiKeyId} and idempotency_key = ${idempotencyKey}`;
    if (!row) continue; // removed meanwhile: claim it again
    if (row.expired) {
      await removeExpired(options.db, { apiKeyId, idempotencyKey });
      continue;
    }
    if (row.request_hash !== options.requestHash) {
      return { kind: 'conflict', message: 'This Idempotency-Key was already used for a different request.' };
    }
    if (row.status !== null) return { kind: 'replay', status: row.status, body: row.body };
    if (row.abandoned) {
      const taken = await sql`
        update api_idempotency set created_at = now()
        where api_key_id = ${apiKeyId} and idempotency_key = ${idempotencyKey} and status is null
          and created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})
        returning 1`;
      if (taken.length === 1) return { kind: 'claimed' };
    }
    if (Date.now() > deadline) {
      return { kind: 'conflict', message: 'A request with this Idempotency-Key is still running. Try again in a moment.' };
    }
    await sleep(POLL_MS);
  }
}

/** Keeps the answer of a claimed request, for its retries. */
export async function storeIdempotentAnswer(options: { db: Db; apiKeyId: string; idempotencyKey: string; status: number; body: unknown }) {
  await options.db.$client`
    update api_idempotency set status = ${options.status}, body = ${JSON.stringify(options.body)}::json
    where api_key_id = ${options.apiKeyId} and idempotency_key = ${options.idempotencyKey}`;
}

/** Gives a claim up (the request failed on our side): a retry does the work. */
export async function releaseIdempotencyKey(options: { db: Db; apiKeyId: string; idempotencyKey: string }) {
  await options.db.$client`
    delete from api_idempotency
    where api_key_id = ${options.apiKeyId} and idempotency_key = ${options.idempotencyKey} and status is null`;
}
