// Who is an operator (ADMIN_EMAILS, docs/reviewing-referrals.md): the setting,
// and the one check that the admin page and its actions use, against the real database.
import { createUser } from '@app/common/testing';
import { eq } from 'drizzle-orm';
import { schema } from '@app/common/db';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadEnv, parseAdminEmails } from '@/env';
import { currentAdmin, isAdminEmail, requireAdmin } from '@/server/admin';
import { currentUser } from '@/server/session';
import { useTestDb } from './helpers';

// The session is what next-auth's cookie says; here, whoever the test says is signed in.
vi.mock('@/server/session', () => ({ currentUser: vi.fn() }));
const signedIn = vi.mocked(currentUser);

const db = useTestDb(2);
const OPERATOR = `ops-${Math.random().toString(36).slice(2, 8)}@example.test`;
// Read by env() on first use, in this file's own module registry.
process.env.ADMIN_EMAILS = ` ${OPERATOR.toUpperCase()} , someone-else@example.test, unverified-${OPERATOR},`;

describe('ADMIN_EMAILS', () => {
  it('is a comma-separated list, trimmed, in lower case, without empty entries; unset or empty is nobody', () => {
    expect(parseAdminEmails(' Ops@Example.com , ,second@example.org,')).toEqual(['ops@example.com', 'second@example.org']);
    expect(parseAdminEmails(undefined)).toEqual([]);
    expect(parseAdminEmails('  ')).toEqual([]);
    expect(loadEnv({ ADMIN_EMAILS: 'A@B.C' }).adminEmails).toEqual(['a@b.c']);
    expect(loadEnv({}).adminEmails).toEqual([]);
    expect(loadEnv({ ADMIN_EMAILS: '' }).adminEmails).toEqual([]);
  });

  it('stops the server when an entry is not an e-mail address (e.g. separated by semicolons)', () => {
    expect(() => loadEnv({ ADMIN_EMAILS: 'ops@example.com; boss@example.com' })).toThrow(/ADMIN_EMAILS/);
    expect(() => loadEnv({ ADMIN_EMAILS: 'ops' })).toThrow(/not an e-mail address/);
  });

  it('warns when anyone could sign in as an operator (dev-login in production)', () => {
    const e = loadEnv({ NODE_ENV: 'production', AUTH_SECRET: 's'.repeat(32), AUTH_DEV_LOGIN: 'true', ADMIN_EMAILS: 'ops@example.com' });
    expect(e.warnings.join('\n')).toMatch(/anyone can sign in as an operator/);
  });
});

describe('isAdminEmail', () => {
  const admins = parseAdminEmails('ops@example.com');

  it('matches the whole address, whatever its case or surrounding spaces', () => {
    expect(isAdminEmail('OPS@example.COM ', admins)).toBe(true);
  });

  it('does not fold +tags or dots, and matches nothing without an address or a list', () => {
    expect(isAdminEmail('ops+x@example.com', admins)).toBe(false);
    expect(isAdminEmail('o.ps@example.com', admins)).toBe(false);
    expect(isAdminEmail('ops@example.com.evil.test', admins)).toBe(false);
    expect(isAdminEmail(null, admins)).toBe(false);
    expect(isAdminEmail('', admins)).toBe(false);
    expect(isAdminEmail('ops@example.com', [])).toBe(false);
  });
});

describe('currentAdmin / requireAdmin', () => {
  beforeEach(() => signedIn.mockReset());

  it('lets in a signed-in user whose stored e-mail is in ADMIN_EMAILS', async () => {
    const user = await createUser(db, { email: OPERATOR, name: 'Olga', emailVerified: new Date() });
    signedIn.mockResolvedValue({ id: user.id, name: user.name });
    expect(await currentAdmin()).toEqual({ id: user.id, email: OPERATOR, name: 'Olga' });
    expect(await requireAdmin()).toMatchObject({ id: user.id });
  });

  it('lets nobody in on an address the sign-in provider did not verify, even one in ADMIN_EMAILS', async () => {
    const user = await createUser(db, { email: `unverified-${OPERATOR}`, name: 'Mallory', emailVerified: null });
    signedIn.mockResolvedValue({ id: user.id, name: user.name });
    expect(await currentAdmin()).toBeNull();
    await db.update(schema.users).set({ emailVerified: new Date() }).where(eq(schema.users.id, user.id));
    expect(await currentAdmin()).toMatchObject({ id: user.id });
  });

  it('decides from the e-mail in the database now, not from the session', async () => {
    const user = await createUser(db, { email: `former-${OPERATOR}`, emailVerified: new Date() });
    signedIn.mockResolvedValue({ id: user.id, name: user.name });
    expect(await currentAdmin()).toBeNull();
    // The other way round too: an operator whose address changed is one no more.
    await db.update(schema.users).set({ email: `someone-else@example.test` }).where(eq(schema.users.id, user.id));
    expect(await currentAdmin()).toMatchObject({ id: user.id });
    await db.update(schema.users).set({ email: `moved-${OPERATOR}` }).where(eq(schema.users.id, user.id));
    expect(await currentAdmin()).toBeNull();
  });

  it('answers 404 (notFound) to a member who is not an operator, a signed-out visitor, and an unknown user', async () => {
    const member = await createUser(db);
    for (const session of [{ id: member.id, name: member.name }, null, { id: 'no-such-user', name: null }]) {
      signedIn.mockResolvedValue(session);
      expect(await currentAdmin()).toBeNull();
      await expect(requireAdmin()).rejects.toMatchObject({ digest: expect.stringMatching(/404/) });
    }
  });
});
