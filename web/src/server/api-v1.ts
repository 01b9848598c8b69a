import { randomUUID } from 'node:crypto';
import { API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE, authenticateApiKey, fail, type ApiKey, type ErrorCode, type Failure, type Result } from '@app/common';
import {
  claimIdempotencyKey,
  findMemberId,
  releaseIdempotencyKey,
  requestHash,
  storeIdempotentAnswer,
  type ApiOperation,
} from '@app/common/api';
import type { Db } from '@app/common/db';
import type { NextRequest, NextResponse } from 'next/server';
import type { z } from 'zod';
import { db } from '@/server/db';
import { createFixedWindowLimiter } from '@/server/rate-limit';
import { errorAnswer, errorResponse, invalidInput, jsonResponse, logRequestError, readJson } from '@/server/route';

/** Per API key, per process (docs/integration.md, "Limits"): each key's own limit per minute. */
const keyLimiter = createFixedWindowLimiter({ limit: API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 });

/** An Idempotency-Key: 1 to 255 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

interface ApiContext<Op extends ApiOperation> {
  request: NextRequest;
  db: Db;
  apiKey: ApiKey;
  params: Infer<Op['params']>;
  query: Infer<Op['query']>;
  body: Infer<Op['body']>;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

async function parse<S extends z.ZodType | undefined>(schema: S, value: () => Promise<unknown> | unknown) {
  if (!schema) return { ok: true as const, data: undefined as Infer<S> };
  const parsed = schema.safeParse(await value());
  return parsed.success ? { ok: true as const, data: parsed.data as Infer<S> } : { ok: false as const, failure: invalidInput(parsed.error.issues) };
}

/**
 * The one wrapper of every /api/v1 route (docs/integration.md, "The API"):
 * the API key from `Authorization: Bearer` only (cookies are never read, so
 * a browser session cannot call it and CSRF does not apply), its scope
 * (401/403), its per-minute limit (429 with Retry-After), path, query and
 * body through the operation's zod schemas (400), then for a POST with an
 * `Idempotency-Key` the first answer of that key, or the work done once.
 * Answers are the closed error codes of docs/http-api.md; anything
 * unexpected is logged with a request id and answered `internal`.
 */
export function apiRoute<Op extends ApiOperation>(op: Op, handle: (context: ApiContext<Op>) => Promise<Result<object, ErrorCode>>) {
  return async (request: NextRequest, routeContext: RouteContext): Promise<NextResponse> => {
    const requestId = randomUUID();
    let claim: { db: Db; apiKeyId: string; idempotencyKey: string } | null = null;
    try {
      const database = await db();
      const auth = await authenticateApiKey({ db: database, authorization: request.headers.get('authorization'), scope: op.scope });
      if (!auth.ok) return errorResponse(auth);
      const { apiKey } = auth;
      const retryAfterSeconds = keyLimiter.hit(apiKey.id, apiKey.rateLimitPerMinute);
      if (retryAfterSeconds !== null) {
        return errorResponse(fail('rate_limited', { message: 'This API key made too many requests this minute.', retryAfterSeconds }));
      }

      const params = await parse(op.params, async () => routeContext.params);
      if (!params.ok) return errorResponse(params.failure);
      const query = await parse(op.query, () => Object.fromEntries(request.nextUrl.searchParams));
      if (!query.ok) return errorResponse(query.failure);
      let rawBody: unknown = undefined;
      if (op.body) {
        const json = await readJson(request);
        if (!json.ok) return errorResponse(json.failure);
        rawBody = json.value;
      }
      const body = await parse(op.body, () => rawBody);
      if (!body.ok) return errorResponse(body.failure);

      const idempotencyKey = op.method === 'post' ? request.headers.get('idempotency-key') : null;
      if (idempotencyKey !== null) {
        if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
          return errorResponse(invalidInput('Idempotency-Key: 1 to 255 visible ASCII characters.'));
        }
        const hash = requestHash(request.method, request.nextUrl.pathname, rawBody);
        const claimed = await claimIdempotencyKey({ db: database, apiKeyId: apiKey.id, idempotencyKey, requestHash: hash });
        if (claimed.kind === 'conflict') return errorResponse(fail('conflict', { message: claimed.message }));
        if (claimed.kind === 'replay') return jsonResponse(claimed.status, claimed.body, { 'idempotent-replayed': 'true' });
        claim = { db: database, apiKeyId: apiKey.id, idempotencyKey };
      }

      const result = await handle({
        request,
        db: database,
        apiKey,
        params: params.data as Infer<Op['params']>,
        query: query.data as Infer<Op['query']>,
        body: body.data as Infer<Op['body']>,
      });
      if (!result.ok && (result.code === 'internal' || result.code === 'rate_limited')) {
        // Not kept for retries: our failure, or a limit that will have passed.
        if (claim) await releaseIdempotencyKey(claim);
        return errorResponse(result, result.code === 'internal' ? requestId : undefined);
      }
      const answer = result.ok ? { status: 200, body: withoutOk(result) } : errorAnswer(result);
      if (claim) await storeIdempotentAnswer({ ...claim, ...answer });
      return jsonResponse(answer.status, answer.body);
    } catch (error) {
      logRequestError(request, requestId, error);
      if (claim) await releaseIdempotencyKey(claim).catch(() => undefined);
      return errorResponse(fail('internal'), requestId);
    }
  };
}

function withoutOk<T extends { ok: true }>(result: T): Omit<T, 'ok'> {
  const { ok: _ok, ...data } = result;
  return data;
}

const NO_SUCH_MEMBER = 'No member has this externalId (or their account was deleted).';

/**
 * Runs `work` for the member with this externalId; `not_found` when there is
 * none, or when their account was deleted meanwhile (the domain's
 * `unauthenticated`: the key is fine, the member is gone).
 */
export async function withMember<T extends Result<object, ErrorCode>>(
  database: Db,
  externalId: string,
  work: (userId: string) => Promise<T>,
): Promise<Exclude<T, Failure<'unauthenticated'>> | Failure<'not_found'>> {
  const userId = await findMemberId({ db: database, externalId });
  const result = userId ? await work(userId) : null;
  if (!result || (!result.ok && result.code === 'unauthenticated')) return fail('not_found', { message: NO_SUCH_MEMBER });
  return result as Exclude<T, Failure<'unauthenticated'>>;
}
