import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';

export interface UserProfile {
  id: string;
  name: string | null;
  email: string | null;
  /** When the sign-in provider last vouched for `email`; null when it never did (operators need it). */
  emailVerified: Date | null;
  onboardedAt: Date | null;
  createdAt: Date;
}

const profileColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  emailVerified: users.emailVerified,
  onboardedAt: users.onboardedAt,
  createdAt: users.createdAt,
};

/** The signed-in user's own profile (their own e-mail included); null for an unknown or deleted account. */
export async function getUserProfile(options: { db: Db; userId: string }): Promise<UserProfile | null> {
  if (!options.userId) return null;
  const [row] = await options.db
    .select(profileColumns)
    .from(users)
    .where(and(eq(users.id, options.userId), isNull(users.deletedAt)));
  return row ?? null;
}

/**
 * The development sign-in (`dev-login`): the user with this e-mail, created
 * on first sign-in. E-mails are compared in lower case. A concurrent first
 * sign-in of the same e-mail ends with one user (the unique key decides).
 * Dev-login takes anyone's word for their address, so its addresses count as
 * verified: that is why it is never on in public (docs/auth.md).
 */
export async function findOrCreateUserByEmail(options: { db: Db; email: string; name?: string | null }): Promise<UserProfile> {
  const email = options.email.trim().toLowerCase();
  const name = options.name?.trim() || null;
  const [created] = await options.db
    .insert(users)
    .values({ email, name, emailVerified: new Date() })
    .onConflictDoNothing({ target: users.email })
    .returning(profileColumns);
  if (created) return created;
  const [existing] = await options.db.select(profileColumns).from(users).where(sql`${users.email} = ${email}`);
  if (!existing) throw new Error('findOrCreateUserByEmail: the user vanished between insert and select');
  return existing;
}

/** The live account with this e-mail address (compared in lower case), for operators; null when there is none. */
export async function findUserIdByEmail(options: { db: Db; email: string }): Promise<string | null> {
  const email = options.email.trim().toLowerCase();
  if (!email) return null;
  const [row] = await options.db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`${users.email} = ${email}`, isNull(users.deletedAt)));
  return row?.id ?? null;
}

/** Sets the display name the user chose at onboarding. */
export async function updateUserName(options: { db: Db; userId: string; name: string }): Promise<void> {
  await options.db.update(users).set({ name: options.name }).where(eq(users.id, options.userId));
}

/**
 * What a sign-in through a provider tells about the person, applied on every
 * sign-in (docs/auth.md, "What the app keeps of a provider's profile"):
 * - `email` is given only when the provider says it verified it (the
 *   providers drop any other): it becomes the account's address, verified
 *   now, unless another account holds it already (then it is left alone);
 * - `name` fills in a display name the person has not chosen yet (one chosen
 *   at onboarding is theirs and stays).
 */
export async function refreshSignInProfile(options: { db: Db; userId: string; email: string | null; name: string | null }): Promise<void> {
  const email = options.email?.trim().toLowerCase() || null;
  // A provider's name is not checked like the onboarding form's: control characters (a NUL would fail the update) are dropped.
  const name = options.name?.replace(/\p{Cc}/gu, '').trim().slice(0, 100) || null;
  await options.db.$client`
    update "user" u set
      email = case when taken.id is null and ${email}::text is not null then ${email} else u.email end,
      "emailVerified" = case
        when ${email}::text is not null and taken.id is null and u.email is not distinct from ${email} then coalesce(u."emailVerified", now())
        when ${email}::text is not null and taken.id is null then now()
        else u."emailVerified" end,
      name = coalesce(nullif(btrim(u.name), ''), ${name})
    from (select (select o.id from "user" o where o.email = ${email} and o.id <> ${options.userId}) as id) taken
    where u.id = ${options.userId} and u.deleted_at is null`;
}
