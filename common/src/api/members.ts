// Members of a host product (docs/integration.md, "Members"): people known
// by the host's own id (`externalId`), made and updated through the server
// API. Everything else a member does goes through the same domain functions
// as the app's own members (redeem, complete onboarding, regenerate).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { fail, type Result } from '../errors';
import { recordSignIn } from '../referrals/fingerprint';
import { getQuotaHistory, type QuotaHistoryItem } from '../referrals/ledger';
import { buildReferralLink } from '../referrals/referral-link';
import type { upsertMemberBodySchema } from './schemas';

export interface Member {
  id: string;
  externalId: string;
  email: string | null;
  name: string | null;
  quota: number;
  referralCode: string;
  referralLink: string;
  onboardedAt: Date | null;
  createdAt: Date;
}

const memberColumns = {
  id: users.id,
  externalId: users.externalId,
  email: users.email,
  name: users.name,
  quota: users.quota,
  referralCode: users.referralCode,
  onboardedAt: users.onboardedAt,
  createdAt: users.createdAt,
};

type MemberRow = { [K in keyof typeof memberColumns]: (typeof users.$inferSelect)[K] };

function toMember(row: MemberRow, appUrl: string): Member {
  return { ...row, externalId: row.externalId!, referralLink: buildReferralLink(appUrl, row.referralCode) };
}

/** The id of the member with this externalId (null: none, or their account was deleted). */
export async function findMemberId(options: { db: Db; externalId: string }): Promise<string | null> {
  const [row] = await options.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.externalId, options.externalId), isNull(users.deletedAt)));
  return row?.id ?? null;
}

export type UpsertMemberResult = Result<{ member: Member; created: boolean }, 'conflict'>;

/**
 * Makes the member with this externalId, or updates the e-mail and name that
 * are given (omitted fields stay). One statement, so concurrent calls for one
 * externalId end with one member. An e-mail another person has is
 * `conflict`. `client`, when given, is recorded as a sign-in: the first one
 * is the member's sign-up fingerprint (docs/security.md, "Fraud signals").
 */
export async function upsertMember(options: {
  db: Db;
  externalId: string;
  input: z.output<typeof upsertMemberBodySchema>;
  appUrl: string;
  secret: string;
}): Promise<UpsertMemberResult> {
  const { db, externalId, input } = options;
  const changes = {
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
  };
  let row: (MemberRow & { created: boolean }) | undefined;
  try {
    [row] = await db
      .insert(users)
      .values({ externalId, email: input.email ?? null, name: input.name ?? null })
      .onConflictDoUpdate({ target: users.externalId, set: Object.keys(changes).length ? changes : { externalId } })
      .returning({ ...memberColumns, created: sql<boolean>`(xmax = 0)` });
  } catch (error) {
    if ((error as { cause?: { constraint_name?: string } }).cause?.constraint_name === 'user_email_unique' ||
        (error as { constraint_name?: string }).constraint_name === 'user_email_unique') {
      return fail('conflict', { message: 'Another person already has this e-mail address.' });
    }
    throw error;
  }
  if (!row) throw new Error('upsert of a member returned no row');
  if (input.client && (input.client.ip || input.client.userAgent)) {
    await recordSignIn({
      db,
      userId: row.id,
      client: { ip: input.client.ip ?? null, userAgent: input.client.userAgent ?? null },
      secret: options.secret,
    });
  }
  const { created, ...member } = row;
  return { ok: true, member: toMember(member, options.appUrl), created };
}

/** An opaque cursor of a list: the position after the last item of a page. */
export function encodeCursor(position: readonly string[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position in a cursor, or null when it is not one of ours (`size` strings). */
export function decodeCursor(cursor: string, size: number): string[] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(value) && value.length === size && value.every((v) => typeof v === 'string' && v.length <= 200)
      ? (value as string[])
      : null;
  } catch {
    return null;
  }
}

const INVALID_CURSOR = 'The request is not in the expected shape. cursor: not a cursor of this list.';

export type PageResult<T> = Result<{ items: T[]; nextCursor: string | null }, 'invalid_input'>;

/** A member's quota ledger rows, newest first, a page at a time (the cursor is the last grant id). */
export async function getMemberQuotaHistory(options: {
  db: Db;
  userId: string;
  limit: number;
  cursor?: string | undefined;
}): Promise<PageResult<QuotaHistoryItem>> {
  const position = options.cursor === undefined ? null : decodeCursor(options.cursor, 1);
  if (options.cursor !== undefined && (!position || !/^\d{1,18}$/.test(position[0]!))) {
    return fail('invalid_input', { message: INVALID_CURSOR });
  }
  const rows = await getQuotaHistory({ db: options.db, userId: options.userId, limit: options.limit + 1, before: position?.[0] ?? null });
  const items = rows.slice(0, options.limit);
  return { ok: true, items, nextCursor: rows.length > options.limit ? encodeCursor([items.at(-1)!.id]) : null };
}

/**
 * The program's referrals, newest first, as `referral_json` describes them
 * (the webhooks' shape), a page at a time; the cursor is the last one's
 * creation time and id.
 */
export async function listReferrals(options: {
  db: Db;
  status?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}): Promise<PageResult<Record<string, unknown>>> {
  const position = options.cursor === undefined ? null : decodeCursor(options.cursor, 2);
  if (options.cursor !== undefined && (!position || Number.isNaN(Date.parse(position[0]!)))) {
    return fail('invalid_input', { message: INVALID_CURSOR });
  }
  const at = position?.[0] ?? null;
  const id = position?.[1] ?? null;
  const status = options.status ?? null;
  const rows = await options.db.$client<{ referral: Record<string, unknown>; created_at: string }[]>`
    select referral_json(r.referred_id) as referral, r.created_at::text as created_at
    from referral r
    where (${status}::referral_status is null or r.status = ${status}::referral_status)
      and (${at}::timestamptz is null or (r.created_at, r.referred_id) < (${at}::timestamptz, ${id}::text))
    order by r.created_at desc, r.referred_id desc
    limit ${options.limit + 1}`;
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    ok: true,
    items: page.map((r) => r.referral),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.created_at, last.referral.id as string]) : null,
  };
}
