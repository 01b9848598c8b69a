import { expect, test } from '@playwright/test';
import { finishOnboarding, newMember, person, screenshots, signIn, submitDevLogin, visitorContext, invitedRow } from './helpers';

test('a friend follows a referral link, signs in, finishes onboarding, and both get the bonus', async ({ browser }) => {
  const referrer = await newMember(browser, 'Ada');
  const link = await referrer.page.getByTestId('referral-link').inputValue();
  const code = await referrer.page.getByTestId('referral-code').innerText();
  expect(link).toMatch(new RegExp(`/referrals/${code}$`));
  await expect(referrer.page.getByTestId('quota')).toHaveText('1000');

  const friendContext = await visitorContext(browser);
  const friend = await friendContext.newPage();
  const who = person('Grace');
  await friend.goto(link);
  await expect(friend.getByRole('heading', { name: `${referrer.who.name} invited you` })).toBeVisible();
  await expect(friend.getByText('you get +500')).toBeVisible();
  await screenshots(friend, 'landing');

  await friend.getByRole('link', { name: 'Sign in to accept' }).click();
  await submitDevLogin(friend, who);
  await expect(friend).toHaveURL(new RegExp(`/onboard\\?referral_code=${code}$`));
  await expect(friend.getByTestId('invite')).toContainText(`Invited by ${referrer.who.name}`);
  await screenshots(friend, 'onboard');
  await finishOnboarding(friend, who.name);
  await expect(friend.getByTestId('quota')).toHaveText('1500');
  await expect(friend.getByText(`Thanks to ${referrer.who.name}`)).toBeVisible();
  await screenshots(friend, 'welcome');
  await friend.getByRole('link', { name: 'Go to your referrals' }).click();
  await expect(friend.getByTestId('quota')).toHaveText('1500');
  await expect(friend.getByText(`You were invited by ${referrer.who.name}`)).toBeVisible();

  await referrer.page.reload();
  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await expect(referrer.page.getByTestId('used-referrals')).toContainText('1');
  const row = invitedRow(referrer.page, who.name);
  await expect(row).toContainText('Completed');
  await expect(referrer.page.getByText(who.email)).toHaveCount(0);
  await screenshots(referrer.page, 'referrals');

  await friendContext.close();
  await referrer.context.close();
});

test('a visitor who opened a link and signs up later from the home page is still attributed (cookie)', async ({ browser }) => {
  const referrer = await newMember(browser, 'Linus');
  const link = await referrer.page.getByTestId('referral-link').inputValue();

  const context = await visitorContext(browser);
  const page = await context.newPage();
  await page.goto(link);
  const cookie = (await context.cookies()).find((c) => c.name === 'referral_code');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);

  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  const who = person('Margaret');
  await submitDevLogin(page, who);
  await expect(page).toHaveURL(/\/onboard$/);
  await expect(page.getByTestId('invite')).toContainText(`Invited by ${referrer.who.name}`);
  await finishOnboarding(page, who.name);
  await expect(page.getByTestId('quota')).toHaveText('1500');
  expect((await context.cookies()).some((c) => c.name === 'referral_code')).toBe(false);

  await context.close();
  await referrer.context.close();
});

test('a visitor who signs in from a plain page is not given anyone\'s code', async ({ browser }) => {
  const context = await visitorContext(browser);
  const page = await context.newPage();
  await signIn(page, person('Alan'), '/');
  await page.goto('/onboard');
  await expect(page.getByTestId('invite')).toHaveCount(0);
  await context.close();
});

test('the member page: copy, QR, regenerate with confirmation, and entering a code', async ({ browser }) => {
  const member = await newMember(browser, 'Barbara');
  const friend = await newMember(browser, 'Edsger');
  const { page, context } = member;
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  const oldLink = await page.getByTestId('referral-link').inputValue();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied!' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(oldLink);
  await expect(page.getByRole('img', { name: /QR code for/ }).locator('svg')).toBeVisible();

  // Cancelling the confirmation keeps the code.
  page.once('dialog', (dialog) => dialog.dismiss());
  await page.getByRole('button', { name: 'Get a new code' }).click();
  await expect(page.getByTestId('referral-link')).toHaveValue(oldLink);

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Get a new code' }).click();
  await expect(page.getByText('You have a new code')).toBeVisible();
  await expect(page.getByTestId('referral-link')).not.toHaveValue(oldLink);
  await expect(page.getByText('2 more times today')).toBeVisible();

  // The old link now shows a friendly page.
  const visitor = await browser.newPage();
  await visitor.goto(oldLink);
  await expect(visitor.getByRole('heading', { name: 'This invite link is no longer active' })).toBeVisible();
  await visitor.close();

  // Own code: refused in plain words. A friend's link: applied, then the form goes away.
  const ownCode = await page.getByTestId('referral-code').innerText();
  await page.getByLabel("Enter a friend's code or paste their link").fill(ownCode);
  await page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(page.locator('.notice.bad')).toHaveText('You cannot use your own referral code.');
  const friendLink = await friend.page.getByTestId('referral-link').inputValue();
  await page.getByLabel("Enter a friend's code or paste their link").fill(`  ${friendLink.toUpperCase()}  `);
  await page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(page.getByText('Invite applied: you and your friend both got your bonus.')).toBeVisible();
  await expect(page.getByTestId('quota')).toHaveText('1500');
  await expect(page.getByRole('heading', { name: 'Were you invited?' })).toHaveCount(0);
  await expect(page.getByText(`You were invited by ${friend.who.name}`)).toBeVisible();

  await member.context.close();
  await friend.context.close();
});

test('a member enters a code by hand; unknown and exhausted codes are explained', async ({ browser }) => {
  const owner = await newMember(browser, 'Donald');
  const code = await owner.page.getByTestId('referral-code').innerText();
  const member = await newMember(browser, 'Niklaus');
  const input = member.page.getByLabel("Enter a friend's code or paste their link");

  await input.fill('ref-00000000-0000-4000-8000-000000000000');
  await member.page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(member.page.locator('.notice.bad')).toContainText('No one has this referral code');

  await input.fill('not a code at all');
  await member.page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(member.page.locator('.notice.bad')).toHaveText('That is not a referral code or referral link.');

  // Typed by hand, the way people do: upper case and stray spaces.
  await input.fill(` ${code.toUpperCase()} `);
  await member.page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(member.page.getByText('Invite applied: you and your friend both got your bonus.')).toBeVisible();
  await expect(member.page.getByTestId('quota')).toHaveText('1500');
  await member.context.close();

  // Fill the owner's remaining places, then one more member tries the code.
  for (let i = 0; i < 4; i++) {
    const friend = await newMember(browser, `Friend${i}`);
    await friend.page.getByLabel("Enter a friend's code or paste their link").fill(code);
    await friend.page.getByRole('button', { name: 'Apply invite' }).click();
    await expect(friend.page.getByText('Invite applied')).toBeVisible();
    await friend.context.close();
  }
  await owner.page.reload();
  await expect(owner.page.getByTestId('used-referrals')).toContainText('5');
  const late = await newMember(browser, 'Late');
  await late.page.getByLabel("Enter a friend's code or paste their link").fill(code);
  await late.page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(late.page.locator('.notice.bad')).toHaveText('This referral code has been used the maximum number of times.');
  await late.page.goto(`/referrals/${code}`);
  await expect(late.page.getByRole('heading', { name: 'This invite has been used up' })).toBeVisible();
  await late.context.close();
  await owner.context.close();
});

test('unknown and malformed codes get a friendly page, not an error', async ({ page }) => {
  const unknown = await page.goto('/referrals/ref-00000000-0000-4000-8000-000000000000');
  expect(unknown?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'This invite link is no longer active' })).toBeVisible();
  await page.goto('/referrals/%E0%A4%A');
  await expect(page.getByRole('heading', { name: 'This invite link looks broken' })).toBeVisible();
  await page.goto('/referrals/hello');
  await expect(page.getByRole('heading', { name: 'This invite link looks broken' })).toBeVisible();
});

test('the member page can be read without JavaScript', async ({ browser }) => {
  const member = await newMember(browser, 'Frances');
  const state = await member.context.storageState();
  const noScript = await visitorContext(browser, { javaScriptEnabled: false, storageState: state });
  const page = await noScript.newPage();
  await page.goto('/referrals');
  await expect(page.getByTestId('quota')).toHaveText('1000');
  await expect(page.getByTestId('referral-link')).toHaveValue(/\/referrals\/ref-/);
  await expect(page.getByRole('img', { name: /QR code for/ })).toBeVisible();
  await noScript.close();
  await member.context.close();
});

test('signed-out visitors are sent to sign in from member pages', async ({ page }) => {
  await page.goto('/referrals');
  await expect(page).toHaveURL(/\/api\/auth\/signin/);
  await expect(page.getByRole('button', { name: 'Sign in with Development login' })).toBeVisible();
});
