import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { referrals, users, type NewUser, type User } from '../db/schema';

/**
 * Test data builders. Every user is new and unique, so tests never depend on
 * each other's rows and can run in parallel against one database. Each signed
 * up from a device of their own: their own address, network and browser
 * (stand-ins for the keyed hashes the web app records), so the fraud signals
 * see strangers unless a test says otherwise.
 */
export async function createUser(db: Db, overrides: Partial<NewUser> = {}): Promise<User> {
  const tag = randomUUID();
  const [user] = await db
    .insert(users)
    .values({
      name: `Test User ${tag.slice(0, 8)}`,
      email: `user-${tag}@example.test`,
      signupIpHash: `test-ip-${tag}`,
      signupNetworkHash: `test-network-${tag}`,
      signupUserAgentHash: `test-agent-${tag}`,
      ...overrides,
    })
    .returning();
  if (!user) throw new Error('createUser: insert returned nothing');
  return user;
}

/** Overrides for a user with no recorded fingerprint (as if they signed up before it was recorded). */
export const NO_FINGERPRINT = Object.freeze({ signupIpHash: null, signupNetworkHash: null, signupUserAgentHash: null });

export async function createUsers(db: Db, count: number, overrides: Partial<NewUser> = {}): Promise<User[]> {
  return Promise.all(Array.from({ length: count }, () => createUser(db, overrides)));
}

/** A user whose account is `days` old. */
export function daysAgo(days: number, from: Date = new Date()): Date {
  return new Date(from.getTime() - days * 24 * 60 * 60 * 1000);
}

export async function getUser(db: Db, id: string): Promise<User> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  if (!user) throw new Error(`getUser: no user ${id}`);
  return user;
}

export async function referralsOf(db: Db, referrerId: string) {
  return db.select().from(referrals).where(eq(referrals.referrerId, referrerId));
}

export async function referralOfReferred(db: Db, referredId: string) {
  const [row] = await db.select().from(referrals).where(eq(referrals.referredId, referredId));
  return row ?? null;
}
