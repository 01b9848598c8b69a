import type postgres from 'postgres';
import type { Logger } from '../log';
import type { WebhookEndpoint, WebhookSettings } from './config';
import { claimDueEvents, finishAttempts, type ClaimedEvent, type FinishedAttempt } from './outbox';
import { signingKey, signWebhook } from './signature';

export interface WebhookDelivery {
  /** Looks for due events now (a referral changed), instead of at the next poll. */
  wake(): void;
  /**
   * Stops claiming, lets in-flight deliveries finish for up to `graceMs`, then
   * aborts the rest and releases their leases, so that another process
   * delivers them at once. Resolves when every claimed event is recorded.
   */
  stop(graceMs: number): Promise<void>;
}

/** The JSON body of every request (docs/webhooks.md). */
export function webhookBody(event: Pick<ClaimedEvent, 'eventId' | 'type' | 'createdAt' | 'payload'>): string {
  return JSON.stringify({ id: event.eventId, type: event.type, createdAt: event.createdAt, data: event.payload });
}

/**
 * The wait before attempt `attempt + 1`: exponential (base, 2×base, 4×base, …)
 * up to `maxMs`, with "equal jitter" (between half and all of it), so that
 * events that failed together, e.g. while an endpoint was down, do not all
 * come back at the same instant.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

const USER_AGENT = 'referrals-webhooks/1';
/** How much of a response body is read (and kept, 200 characters of it, for last_error). */
const MAX_RESPONSE_BYTES = 64 * 1024;

async function readSome(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One POST; resolves with null when the endpoint answered 2xx, else with what went wrong. */
async function post(endpoint: WebhookEndpoint, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<string | null> {
  try {
    const response = await fetch(endpoint.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    const text = await readSome(response);
    if (response.status >= 200 && response.status < 300) return null;
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    return `${endpoint.label}: HTTP ${response.status}${snippet ? ` ${snippet}` : ''}`;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const reason =
      name === 'TimeoutError'
        ? 'timed out'
        : name === 'AbortError'
          ? 'aborted (backend stopping)'
          : error instanceof Error
            ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
            : String(error);
    return `${endpoint.label}: ${reason}`;
  }
}

/**
 * Writes finished attempts to the outbox, many per statement: while one
 * write is running, the attempts that finish meanwhile queue up and go in the
 * next (group commit). Idle, an attempt is written at once; busy, one commit
 * serves dozens. Each `record` resolves once its attempt is written.
 */
function createRecorder(sql: postgres.Sql, maxAttempts: number) {
  let queue: { finished: FinishedAttempt; done: () => void; failed: (error: unknown) => void }[] = [];
  let writing = false;

  async function write() {
    writing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await finishAttempts(sql, batch.map((q) => q.finished), maxAttempts);
        for (const q of batch) q.done();
      } catch (error) {
        for (const q of batch) q.failed(error);
      }
    }
    writing = false;
  }

  return (finished: FinishedAttempt) =>
    new Promise<void>((done, failed) => {
      queue.push({ finished, done, failed });
      if (!writing) void write();
    });
}

/**
 * The webhook delivery loop of one backend process (docs/webhooks.md). Several
 * processes may run it against one database: each claims its own events
 * (see claimDueEvents), so no event is sent by two of them at once.
 *
 * It polls every `pollIntervalMs` (an index scan of the pending rows, cheap)
 * and is also woken by `wake()`, which the backend calls on every referral
 * change announced over LISTEN/NOTIFY, so an event usually leaves within
 * milliseconds of its commit; polling catches the rest (retries coming due,
 * changes whose announcement was lost, changes made while no process ran).
 * Up to `batchSize` events are being sent per process, each to all its
 * endpoints at once; when one is answered and more were due, the loop claims
 * again. Outcomes are written in batches (createRecorder).
 */
export function startWebhookDelivery(options: { sql: postgres.Sql; settings: WebhookSettings; log: Logger }): WebhookDelivery {
  const { sql, settings, log } = options;
  const key = signingKey(settings.secret);
  const record = createRecorder(sql, settings.maxAttempts);
  const abort = new AbortController();
  // Events claimed and not yet recorded, and how many of them are still being sent.
  const unfinished = new Set<Promise<void>>();
  let sending = 0;
  let stopping = false;
  let pumping: Promise<void> | null = null;
  let again = false;
  let backlog = false;
  let timer: NodeJS.Timeout | null = null;

  /** Sends one event to the endpoints that lack it, calls `sent`, records the outcome. */
  async function deliver(event: ClaimedEvent, sent: () => void): Promise<void> {
    const body = webhookBody(event);
    const headers = { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signWebhook({ key, id: event.eventId, body }) };
    const due = settings.endpoints.filter((e) => !event.deliveredTo.includes(e.key));
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(settings.timeoutMs)]);
    const results = await Promise.all(due.map((endpoint) => post(endpoint, headers, body, signal)));
    sent();
    const acceptedBy = due.filter((_, i) => results[i] === null).map((e) => e.key);
    const errors = results.filter((r): r is string => r !== null);
    if (errors.length === 0) {
      await record({ event, acceptedBy, outcome: { kind: 'delivered' } });
      return;
    }
    const error = errors.join('; ');
    if (abort.signal.aborted) {
      await record({ event, acceptedBy, outcome: { kind: 'released' } });
      log('info', 'webhook delivery abandoned (stopping), due again at once', { eventId: event.eventId, type: event.type, error });
      return;
    }
    const retryInMs = retryDelayMs(event.attempt, settings.backoffBaseMs, settings.backoffMaxMs);
    await record({ event, acceptedBy, outcome: { kind: 'failed', error, retryInMs } });
    const last = event.attempt >= settings.maxAttempts;
    log(last ? 'error' : 'warn', last ? 'webhook failed for good' : 'webhook delivery failed, will retry', {
      eventId: event.eventId,
      type: event.type,
      attempt: event.attempt,
      maxAttempts: settings.maxAttempts,
      error,
      ...(last ? {} : { retryInMs }),
    });
  }

  function track(event: ClaimedEvent) {
    // A slot is taken while the requests are out, not while the outcome waits
    // for its turn to be written, so that the database's commit time is not
    // added to every request's.
    sending++;
    let done = false;
    const sent = () => {
      if (done) return;
      done = true;
      sending--;
      if (backlog) wake();
    };
    const running: Promise<void> = deliver(event, sent)
      .catch((error: unknown) => {
        // The outbox could not be updated (database down?): the lease runs
        // out and the event is sent again, at least once, never lost.
        log('error', 'webhook delivery could not be recorded', { eventId: event.eventId, error: String(error) });
      })
      .finally(() => {
        sent();
        unfinished.delete(running);
        if (backlog) wake();
      });
    unfinished.add(running);
  }

  async function pump(): Promise<void> {
    do {
      again = false;
      const room = Math.min(settings.batchSize - sending, 2 * settings.batchSize - unfinished.size);
      if (stopping || room <= 0) return;
      let events: ClaimedEvent[];
      try {
        events = await claimDueEvents(sql, room, settings.leaseMs);
      } catch (error) {
        log('error', 'could not claim webhook events', { error: String(error) });
        return;
      }
      for (const event of events) track(event);
      // A full claim means more may be due: claim again as soon as there is room.
      backlog = events.length === room;
      if (backlog) again = true;
    } while (again);
  }

  function wake() {
    if (stopping) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = pump().finally(() => {
      pumping = null;
    });
  }

  function tick() {
    wake();
    if (!stopping) timer = setTimeout(tick, settings.pollIntervalMs);
  }
  tick();

  return {
    wake,
    async stop(graceMs) {
      stopping = true;
      if (timer) clearTimeout(timer);
      await pumping;
      const settled = Promise.all(unfinished);
      const graceTimer = setTimeout(() => abort.abort(), graceMs);
      await settled;
      clearTimeout(graceTimer);
    },
  };
}
