import { randomUUID } from 'node:crypto';
import {
  ERROR_MESSAGES,
  HTTP_STATUS_BY_ERROR_CODE,
  fail,
  type ErrorCode,
  type Failure,
  type Result,
} from '@app/common';
import type { Db } from '@app/common/db';
import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { env } from '@/env';
import { isCrossOrigin } from '@/server/csrf';
import { db } from '@/server/db';
import { userIdFromRequest } from '@/server/session';

/** Largest JSON body any route accepts. */
const MAX_BODY_BYTES = 16 * 1024;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface HandlerContext<Q, B, U> {
  request: NextRequest;
  userId: U;
  query: Q;
  body: B;
  db: Db;
}

interface RouteConfig<Q, B, A extends 'user' | 'public'> {
  /** 'user': a next-auth session is required (401 otherwise). */
  auth: A;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Returns a failure (e.g. rate_limited) to refuse the request before any work. */
  guard?: (request: NextRequest) => Failure | null;
  handle: (context: HandlerContext<Q, B, A extends 'user' ? string : null>) => Promise<Result<object, ErrorCode>>;
}

/** The status and JSON body of a failure (docs/http-api.md, "Errors"). */
export function errorAnswer(failure: Failure, requestId?: string): { status: number; body: { error: Record<string, unknown> } } {
  const error: Record<string, unknown> = { code: failure.code, message: failure.message };
  if (failure.code === 'rate_limited' && failure.retryAfterSeconds !== undefined) error.retryAfterSeconds = failure.retryAfterSeconds;
  if (requestId) error.requestId = requestId;
  return { status: HTTP_STATUS_BY_ERROR_CODE[failure.code], body: { error } };
}

/** A JSON answer, never cached; an error body's Retry-After and request id also go in headers. */
export function jsonResponse(status: number, body: unknown, extraHeaders: Record<string, string> = {}): NextResponse {
  const headers = new Headers({ 'cache-control': 'no-store', ...extraHeaders });
  const error = (body as { error?: { retryAfterSeconds?: unknown; requestId?: unknown } } | null)?.error;
  if (typeof error?.retryAfterSeconds === 'number') headers.set('retry-after', String(error.retryAfterSeconds));
  if (typeof error?.requestId === 'string') headers.set('x-request-id', error.requestId);
  return NextResponse.json(body, { status, headers });
}

export function errorResponse(failure: Failure, requestId?: string): NextResponse {
  const { status, body } = errorAnswer(failure, requestId);
  return jsonResponse(status, body);
}

/** Logs an unexpected error with the request id its 500 answer carries (never the error itself in the answer). */
export function logRequestError(request: NextRequest, requestId: string, error: unknown): void {
  console.error(
    JSON.stringify({
      level: 'error',
      requestId,
      method: request.method,
      path: request.nextUrl.pathname,
      error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
    }),
  );
}

export function invalidInput(issues: z.core.$ZodIssue[] | string): Failure<'invalid_input'> {
  const detail =
    typeof issues === 'string'
      ? issues
      : issues
          .slice(0, 3)
          .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
          .join('; ');
  return fail('invalid_input', { message: `${ERROR_MESSAGES.invalid_input} ${detail}`.trim() });
}

/** The body as text, read no further than MAX_BODY_BYTES (null when it is larger). */
async function readCapped(request: NextRequest): Promise<string | null> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(request: NextRequest): Promise<{ ok: true; value: unknown } | { ok: false; failure: Failure }> {
  const text = await readCapped(request);
  if (text === null) return { ok: false, failure: invalidInput('The body is too large.') };
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, failure: invalidInput('The body is not valid JSON.') };
  }
}

/**
 * The one wrapper of every API route: rejects cross-origin state changes
 * (403), authenticates (401), parses query and body with zod (400
 * invalid_input), calls the handler (which calls the domain), and maps its
 * typed result to the status and body of docs/http-api.md ("Errors"). Anything unexpected is
 * logged with a request id and answered `internal`, without details.
 */
export function route<Q = undefined, B = undefined, A extends 'user' | 'public' = 'user'>(config: RouteConfig<Q, B, A>) {
  return async (request: NextRequest): Promise<NextResponse> => {
    const requestId = randomUUID();
    try {
      if (STATE_CHANGING.has(request.method) && isCrossOrigin(request.headers, env().appUrl)) {
        return errorResponse(fail('forbidden', { message: 'Cross-origin requests are not allowed.' }));
      }
      const refused = config.guard?.(request);
      if (refused) return errorResponse(refused);

      let userId: string | null = null;
      if (config.auth === 'user') {
        userId = await userIdFromRequest(request);
        if (!userId) return errorResponse(fail('unauthenticated'));
      }

      let query = undefined as Q;
      if (config.query) {
        const parsed = config.query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
        if (!parsed.success) return errorResponse(invalidInput(parsed.error.issues));
        query = parsed.data;
      }
      let body = undefined as B;
      if (config.body) {
        const json = await readJson(request);
        if (!json.ok) return errorResponse(json.failure);
        const parsed = config.body.safeParse(json.value);
        if (!parsed.success) return errorResponse(invalidInput(parsed.error.issues));
        body = parsed.data;
      }

      const result = await config.handle({
        request,
        userId: userId as A extends 'user' ? string : null,
        query,
        body,
        db: await db(),
      });
      if (!result.ok) return errorResponse(result, result.code === 'internal' ? requestId : undefined);
      const { ok: _ok, ...data } = result;
      return jsonResponse(200, data);
    } catch (error) {
      logRequestError(request, requestId, error);
      return errorResponse(fail('internal'), requestId);
    }
  };
}
