import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';

export interface UserProfile {
  id: string;
  name: string | null;
  email: string | null;
  onboardedAt: Date | null;
  createdAt: Date;
}

const profileColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
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
 */
export async function findOrCreateUserByEmail(options: { db: Db; email: string; name?: string | null }): Promise<UserProfile> {
  const email = options.email.trim().toLowerCase();
  const name = options.name?.trim() || null;
  const [created] = await options.db
    .insert(users)
    .values({ email, name })
    .onConflictDoNothing({ target: users.email })
    .returning(profileColumns);
  if (created) return created;
  const [existing] = await options.db.select(profileColumns).from(users).where(sql`${users.email} = ${email}`);
  if (!existing) throw new Error('findOrCreateUserByEmail: the user vanished between insert and select');
  return existing;
}

/** Sets the display name the user chose at onboarding. */
export async function updateUserName(options: { db: Db; userId: string; name: string }): Promise<void> {
  await options.db.update(users).set({ name: options.name }).where(eq(users.id, options.userId));
}
