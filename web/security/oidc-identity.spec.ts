// Identity through a standards-conformant OpenID Connect provider
// (oidc-provider, e2e/oidc-provider.ts: the e-mail and name only from
// userinfo; its sign-in page says whether the address is verified). Only an
// address the provider verifies is kept, operators need one, and what the
// provider says is refreshed on every sign-in (docs/auth.md).
import { schema } from '@app/common/db';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { finishOnboarding, person, submitDevLogin, visitorContext } from '../e2e/helpers';
import type { VerifiedChoice } from '../e2e/oidc-provider';
import { useDb } from './helpers';

const db = useDb();
/** In ADMIN_EMAILS of the suite's web server (e2e/run.ts). */
const VICTIM = 'victim-operator@example.test';

async function signInAtProvider(page: Page, who: { name: string; email: string }, verified: VerifiedChoice) {
  await page.goto('/api/auth/signin?callbackUrl=%2Freferrals');
  await page.getByRole('button', { name: 'Sign in with Mock ID' }).click();
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Full name').fill(who.name);
  await page.getByLabel('Address verified').selectOption(verified);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/api/auth') && !url.pathname.startsWith('/interaction'));
}

async function storedUserOf(sub: string) {
  const [row] = await db
    .select({ id: schema.users.id, email: schema.users.email, emailVerified: schema.users.emailVerified, name: schema.users.name })
    .from(schema.accounts)
    .innerJoin(schema.users, eq(schema.users.id, schema.accounts.userId))
    .where(eq(schema.accounts.providerAccountId, sub));
  return row ?? null;
}

async function fresh(browser: Browser) {
  const context = await visitorContext(browser);
  return { context, page: await context.newPage() };
}

test('an account claiming an operator\'s address without the provider verifying it gets no address, no operator page, and locks nobody out', async ({ browser }) => {
  for (const verified of ['absent', 'false', 'string-false'] as const) {
    const attacker = await fresh(browser);
    await signInAtProvider(attacker.page, { name: `Mallory ${verified}`, email: VICTIM }, verified);
    const stored = await storedUserOf(`mock|${VICTIM}`);
    expect(stored, verified).not.toBeNull();
    expect(stored!.email, verified).toBeNull();
    const admin = await attacker.page.goto('/admin/referrals');
    expect(admin?.status(), verified).toBe(404);
    await attacker.context.close();
    // The provider account is the same each time; start the next try from nothing.
    await db.delete(schema.accounts).where(eq(schema.accounts.providerAccountId, `mock|${VICTIM}`));
    await db.delete(schema.users).where(eq(schema.users.id, stored!.id));
  }
  // The real operator, whose address nobody took, still gets in (no OAuthAccountNotLinked).
  const real = await fresh(browser);
  await real.page.goto('/api/auth/signin?callbackUrl=%2Fadmin%2Freferrals');
  await submitDevLogin(real.page, { name: 'Vera Victim', email: VICTIM });
  const admin = await real.page.goto('/admin/referrals');
  expect(admin?.status()).toBe(200);
  await expect(real.page.getByRole('heading', { name: 'Referral operations' })).toBeVisible();
  await real.context.close();
});

test('an address the provider verifies (true, or the string "true") is kept from userinfo, with the name, and marked verified', async ({ browser }) => {
  for (const verified of ['true', 'string-true'] as const) {
    const { context, page } = await fresh(browser);
    const who = person(`Ursula${verified.replace('-', '')}`);
    await signInAtProvider(page, who, verified);
    await expect(page).toHaveURL(/\/onboard$/);
    await expect(page.getByText(`Signed in as ${who.email}.`)).toBeVisible();
    await expect(page.getByLabel('Your name')).toHaveValue(who.name);
    const stored = await storedUserOf(`mock|${who.email}`);
    expect(stored).toMatchObject({ email: who.email, name: who.name });
    expect(stored!.emailVerified).toBeInstanceOf(Date);
    await finishOnboarding(page, who.name);
    await context.close();
  }
});

test('a member first stored without an address gets it, verified, on a later sign-in where the provider vouches for it', async ({ browser }) => {
  const who = person('Wanda');
  const first = await fresh(browser);
  await signInAtProvider(first.page, who, 'absent');
  expect(await storedUserOf(`mock|${who.email}`)).toMatchObject({ email: null, emailVerified: null, name: who.name });
  await first.context.close();
  const again = await fresh(browser);
  await signInAtProvider(again.page, who, 'true');
  const stored = await storedUserOf(`mock|${who.email}`);
  expect(stored).toMatchObject({ email: who.email });
  expect(stored!.emailVerified).toBeInstanceOf(Date);
  await again.context.close();
});
