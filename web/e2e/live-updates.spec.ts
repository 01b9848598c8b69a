import { expect, test } from '@playwright/test';
import { finishOnboarding, newMember, person, submitDevLogin, visitorContext, invitedRow } from './helpers';

test('the referrer\'s open page shows the new quota and the completed referral without a reload', async ({ browser }) => {
  const referrer = await newMember(browser, 'Hedy');
  await expect(referrer.page.getByTestId('live-status')).toHaveAttribute('data-state', 'live');
  const link = await referrer.page.getByTestId('referral-link').inputValue();
  await expect(referrer.page.getByTestId('quota')).toHaveText('1000');
  // Any navigation would reset this marker: it proves the page was not reloaded.
  await referrer.page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));

  const friendContext = await visitorContext(browser);
  const friend = await friendContext.newPage();
  const who = person('Karen');
  await friend.goto(link);
  await friend.getByRole('link', { name: 'Sign in to accept' }).click();
  await submitDevLogin(friend, who);
  await finishOnboarding(friend, who.name);

  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await expect(invitedRow(referrer.page, who.name)).toContainText('Completed');
  expect(await referrer.page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');

  await friendContext.close();
  await referrer.context.close();
});

test('the member page still works, without live updates, when the backend cannot be reached', async ({ browser }) => {
  const member = await newMember(browser, 'Radia');
  const context = await visitorContext(browser, { storageState: await member.context.storageState() });
  // Every websocket to the backend is closed at once, as if the backend were down.
  await context.routeWebSocket(/\/ws$/, (ws) => ws.close({ code: 1011, reason: 'backend down' }));
  const page = await context.newPage();
  await page.goto('/referrals');
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'offline');
  await expect(page.getByTestId('quota')).toHaveText('1000');
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await context.close();
  await member.context.close();
});
