// The real sign-in path: the app's generic OIDC provider against a real,
// standards-conformant OpenID Connect server (oidc-provider, started by
// e2e/run.ts): redirects to the provider, its sign-in page, the authorization
// code + PKCE exchange, a signed ID token that carries only the subject, the
// e-mail and name from the userinfo endpoint, and back to the app.
import { expect, test, type Page } from '@playwright/test';
import { finishOnboarding, newMember, person, visitorContext, invitedRow } from './helpers';

const issuer = process.env.E2E_OIDC_ISSUER!;

/** On next-auth's sign-in page: picks the OIDC provider and signs in on the provider's own page. */
async function signInAtProvider(page: Page, who: { name: string; email: string }) {
  await page.getByRole('button', { name: 'Sign in with Mock ID' }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuer}/interaction/`));
  await expect(page.getByRole('heading', { name: 'Sign in to Mock ID' })).toBeVisible();
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Full name').fill(who.name);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a friend follows a referral link, signs in through the OIDC provider, onboards, and both quotas grow', async ({ browser }) => {
  expect(issuer, 'e2e/run.ts starts the OIDC provider').toBeTruthy();
  const referrer = await newMember(browser, 'Hedy');
  const code = await referrer.page.getByTestId('referral-code').innerText();
  const link = await referrer.page.getByTestId('referral-link').inputValue();

  const context = await visitorContext(browser);
  const page = await context.newPage();
  const who = person('Katherine');
  await page.goto(link);
  await page.getByRole('link', { name: 'Sign in to accept' }).click();
  await signInAtProvider(page, who);

  await expect(page).toHaveURL(new RegExp(`/onboard\\?referral_code=${code}$`));
  await expect(page.getByTestId('invite')).toContainText(`Invited by ${referrer.who.name}`);
  await finishOnboarding(page, who.name);
  await expect(page.getByTestId('quota')).toHaveText('1500');
  await page.getByRole('link', { name: 'Go to your referrals' }).click();
  await expect(page.getByText(`You were invited by ${referrer.who.name}`)).toBeVisible();

  await referrer.page.reload();
  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await expect(invitedRow(referrer.page, who.name)).toContainText('Completed');

  // Signing in again through the provider is the same account: no second onboarding, no second bonus.
  await context.clearCookies();
  await page.goto('/api/auth/signin?callbackUrl=%2Freferrals');
  await signInAtProvider(page, who);
  await expect(page).toHaveURL(/\/referrals$/);
  await expect(page.getByTestId('quota')).toHaveText('1500');

  await context.close();
  await referrer.context.close();
});

test('a visitor who opened a link, left, and signed up later through the provider is still attributed', async ({ browser }) => {
  const referrer = await newMember(browser, 'Radia');
  const link = await referrer.page.getByTestId('referral-link').inputValue();

  const context = await visitorContext(browser);
  const first = await context.newPage();
  await first.goto(link);
  await first.close();
  // Days later: only the referral cookie is left of that visit.
  const kept = (await context.cookies()).filter((c) => c.name === 'referral_code');
  expect(kept).toHaveLength(1);
  await context.clearCookies();
  await context.addCookies(kept);

  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  const who = person('Frances');
  await signInAtProvider(page, who);
  await expect(page).toHaveURL(/\/onboard$/);
  await expect(page.getByTestId('invite')).toContainText(`Invited by ${referrer.who.name}`);
  await finishOnboarding(page, who.name);
  await expect(page.getByTestId('quota')).toHaveText('1500');

  await referrer.page.reload();
  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await context.close();
  await referrer.context.close();
});

test('a visitor who signs in through the provider from a plain page is not sent to anyone\'s code', async ({ browser }) => {
  const context = await visitorContext(browser);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await signInAtProvider(page, person('Barbara'));
  await expect(page).toHaveURL(/\/onboard$/);
  expect(page.url()).not.toContain('referral_code');
  await expect(page.getByTestId('invite')).toHaveCount(0);
  await finishOnboarding(page, 'Barbara');
  await expect(page.getByTestId('quota')).toHaveText('1000');
  await context.close();
});
