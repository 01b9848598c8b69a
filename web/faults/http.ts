// HTTP clients of the web app as a signed-in browser would be: a real
// next-auth session cookie, the app's Origin, a bounded wait.
import { ERROR_CODES, HTTP_STATUS_BY_ERROR_CODE, type ErrorCode } from '@app/common';
import { readFileSync } from 'node:fs';
import { encode } from 'next-auth/jwt';
import { AUTH_SECRET } from './servers';

/** A real next-auth session cookie: the JWT next-auth itself sets, signed with AUTH_SECRET. */
export async function sessionCookie(user: { id: string; name?: string | null; email?: string | null }): Promise<string> {
  const token = await encode({
    token: { sub: user.id, name: user.name ?? null, email: user.email ?? null },
    secret: AUTH_SECRET,
  });
  return `next-auth.session-token=${token}`;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; body: unknown; startedAt: number; endedAt: number }
  /** No HTTP answer: the connection was refused or cut, or the bound passed (`timeout`). */
  | { kind: 'transport'; error: string; timeout: boolean; startedAt: number; endedAt: number };

/** POST /api/referrals { referralCode } as `user`; never throws. */
export async function redeemOverHttp(
  base: string,
  user: { id: string; name?: string | null; email?: string | null },
  referralCode: string,
  timeoutMs: number,
): Promise<HttpOutcome> {
  const cookie = await sessionCookie(user);
  const startedAt = Date.now();
  try {
    const response = await fetch(`${base}/api/referrals`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ referralCode }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text: the check below says it is not a typed answer
    }
    return { kind: 'response', status: response.status, body, startedAt, endedAt: Date.now() };
  } catch (error) {
    const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message})` : '';
    return { kind: 'transport', error: `${String(error)}${cause}`, timeout, startedAt, endedAt: Date.now() };
  }
}

/** The `{ error: { code, message } }` body of docs/http-api.md ("Errors"), when `outcome` is one with the code's status. */
export function typedError(outcome: HttpOutcome): { code: ErrorCode; message: string } | null {
  if (outcome.kind !== 'response' || typeof outcome.body !== 'object' || outcome.body === null) return null;
  const error = (outcome.body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code)) return null;
  if (typeof message !== 'string' || message.length === 0 || /\n\s+at /.test(message)) return null;
  const status = HTTP_STATUS_BY_ERROR_CODE[code as ErrorCode];
  // A 503 is as clean as a 500 while the database is away.
  if (outcome.status !== status && !(code === 'internal' && outcome.status === 503)) return null;
  return { code: code as ErrorCode, message };
}

/** The 200 body of a redemption, when `outcome` is one. */
export function redeemed(outcome: HttpOutcome): { status: 'pending' | 'held' | 'completed'; quota: number } | null {
  if (outcome.kind !== 'response' || outcome.status !== 200) return null;
  const body = outcome.body as { status?: unknown; quota?: unknown; referrer?: unknown };
  if ((body.status !== 'pending' && body.status !== 'held' && body.status !== 'completed') || typeof body.quota !== 'number') return null;
  return { status: body.status, quota: body.quota };
}

/** A one-line account of an outcome, for assertion messages. */
export function describeOutcome(outcome: HttpOutcome): string {
  const ms = outcome.endedAt - outcome.startedAt;
  return outcome.kind === 'response'
    ? `${outcome.status} ${JSON.stringify(outcome.body).slice(0, 200)} after ${ms} ms`
    : `no answer: ${outcome.error} after ${ms} ms`;
}

/**
 * How many connections wait in the kernel's accept queue of the server listening on `port`
 * (Linux: the rx_queue of its LISTEN socket in /proc/net/tcp and tcp6). A connection still
 * there has not reached the server: closing the listener resets it, as a load balancer's
 * late request would be, so it is not "in flight".
 */
export function acceptQueueLength(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let waiting = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state, queues] = line.trim().split(/\s+/);
      // State 0A is LISTEN; "tx_queue:rx_queue" in hex, rx_queue being the accept queue's length.
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) waiting += parseInt(queues!.split(':')[1]!, 16);
    }
  }
  return waiting;
}

/** Waits until the server on `port` has accepted every connection made to it so far. */
export async function untilAccepted(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (acceptQueueLength(port) > 0) {
    if (Date.now() > deadline) throw new Error(`connections still waiting to be accepted on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
