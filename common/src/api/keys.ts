// API keys of the operator's own systems (docs/integration.md, "API keys"):
// made and revoked by an operator, shown once, stored only as a SHA-256 hash,
// sent as `Authorization: Bearer <key>`. A key carries scopes: `read` for the
// reads of the server API, `write` for what changes something.
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE, API_KEY_MAX_RATE_LIMIT_PER_MINUTE } from '../constants';
import type { Db } from '../db/client';
import { apiKeys, type ApiKeyRow } from '../db/schema';
import { fail, type Result } from '../errors';
import { isPlainId } from '../referrals/operator-reason';
import { API_KEY_SCOPES, type ApiKeyScope } from './key-scopes';

export { API_KEY_SCOPES, type ApiKeyScope } from './key-scopes';

/** Every key starts with this, so that secret scanners (and people) recognise a leaked one. */
export const API_KEY_PREFIX = 'rsk_';

/** How many characters of a key, after its prefix, the operator page shows to tell keys apart. */
const VISIBLE_CHARACTERS = 8;

/** A key's last use is written at most this often (a busy key would otherwise write on every request). */
const LAST_USED_PRECISION_SECONDS = 60;

/** A key as the operator page lists it: never the key, never its hash. */
export interface ApiKey {
  id: string;
  name: string;
  /** The prefix and the first characters (`rsk_AbCd1234`). */
  start: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  /** Requests per minute, per web process (docs/integration.md, "Limits"). */
  rateLimitPerMinute: number;
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    scopes: row.scopes as ApiKeyScope[],
    createdAt: row.createdAt,
    createdBy: row.createdByEmail,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedByEmail,
    rateLimitPerMinute: row.rateLimitPerMinute,
  };
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const RATE_LIMIT_MESSAGE = `The limit is a whole number of requests per minute, 1 to ${API_KEY_MAX_RATE_LIMIT_PER_MINUTE.toLocaleString('en')}.`;

const newKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: 'Give the key a name (what uses it), at most 100 characters.' })
    .max(100, { error: 'Give the key a name (what uses it), at most 100 characters.' })
    .refine(isPlainId, { error: 'The name must be plain text.' }),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { error: `Scopes are ${API_KEY_SCOPES.join(' and ')}.` }))
    .min(1, { error: 'Choose at least one scope.' })
    .transform((scopes) => API_KEY_SCOPES.filter((s) => scopes.includes(s))),
  rateLimitPerMinute: z.coerce
    .number({ error: RATE_LIMIT_MESSAGE })
    .int({ error: RATE_LIMIT_MESSAGE })
    .min(1, { error: RATE_LIMIT_MESSAGE })
    .max(API_KEY_MAX_RATE_LIMIT_PER_MINUTE, { error: RATE_LIMIT_MESSAGE })
    .default(API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE),
});

export type CreateApiKeyResult = Result<{ key: string; apiKey: ApiKey }, 'invalid_input'>;

/** Makes a key. `key` is the only time the key exists outside the caller: only its hash is stored. */
export async function createApiKey(options: {
  db: Db;
  input: unknown;
  actor: { id: string | null; email: string };
}): Promise<CreateApiKeyResult> {
  const parsed = newKeySchema.safeParse(options.input);
  if (!parsed.success) return fail('invalid_input', { message: parsed.error.issues[0]!.message });
  const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const [row] = await options.db
    .insert(apiKeys)
    .values({
      name: parsed.data.name,
      start: key.slice(0, API_KEY_PREFIX.length + VISIBLE_CHARACTERS),
      hash: hashKey(key),
      scopes: parsed.data.scopes,
      rateLimitPerMinute: parsed.data.rateLimitPerMinute,
      createdById: options.actor.id,
      createdByEmail: options.actor.email,
    })
    .returning();
  return { ok: true, key, apiKey: toApiKey(row!) };
}

/** Every key, newest first (revoked ones too: what they were and when they stopped). */
export async function listApiKeys(options: { db: Db }): Promise<ApiKey[]> {
  const rows = await options.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toApiKey);
}

export type RevokeApiKeyResult = Result<{ apiKey: ApiKey }, 'not_found' | 'conflict'>;

/** Revokes a key at once, for every process: the next request with it is refused. */
export async function revokeApiKey(options: {
  db: Db;
  id: string;
  actor: { email: string };
}): Promise<RevokeApiKeyResult> {
  if (!isPlainId(options.id)) return fail('not_found', { message: 'There is no such key.' });
  const [revoked] = await options.db
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, revokedByEmail: options.actor.email })
    .where(and(eq(apiKeys.id, options.id), isNull(apiKeys.revokedAt)))
    .returning();
  if (revoked) return { ok: true, apiKey: toApiKey(revoked) };
  const [existing] = await options.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, options.id));
  return existing
    ? fail('conflict', { message: 'That key was revoked already.' })
    : fail('not_found', { message: 'There is no such key.' });
}

export type AuthenticateApiKeyResult = Result<{ apiKey: ApiKey }, 'unauthenticated' | 'forbidden'>;

/**
 * The key of a request, from its `Authorization: Bearer <key>` header (and
 * nothing else: cookies are never read by the server API). Missing,
 * malformed, unknown or revoked: `unauthenticated`; without `scope`:
 * `forbidden`. The key is looked up by its hash, so comparing takes the same
 * time whatever the key. Records when the key was last used.
 */
export async function authenticateApiKey(options: {
  db: Db;
  authorization: string | null | undefined;
  scope: ApiKeyScope;
}): Promise<AuthenticateApiKeyResult> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(options.authorization ?? '');
  const key = match?.[1];
  if (!key || !key.startsWith(API_KEY_PREFIX) || key.length > 200) {
    return fail('unauthenticated', { message: 'Send an API key: Authorization: Bearer rsk_…' });
  }
  const [row] = await options.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hashKey(key)), isNull(apiKeys.revokedAt)));
  if (!row) return fail('unauthenticated', { message: 'This API key is not valid (unknown, or revoked).' });
  const apiKey = toApiKey(row);
  // At most once a minute per key, so a busy key does not write on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_SECONDS * 1000) {
    await options.db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, row.id));
  }
  if (!apiKey.scopes.includes(options.scope)) {
    return fail('forbidden', { message: `This API key does not have the ${options.scope} scope.` });
  }
  return { ok: true, apiKey };
}
