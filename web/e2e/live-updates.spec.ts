import { expect, test, type WebSocketRoute } from '@playwright/test';
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

test('after the live connection drops and comes back, the page shows what changed while it was away', async ({ browser }) => {
  const member = await newMember(browser, 'Lena');
  const code = await member.page.getByTestId('referral-code').innerText();
  // The member's page again, in a browser whose websocket the test can cut, as a backend restart would.
  const watched = await visitorContext(browser, { storageState: await member.context.storageState() });
  let cut = false;
  let current: WebSocketRoute | null = null;
  await watched.routeWebSocket(/\/ws$/, (ws) => {
    if (cut) {
      void ws.close({ code: 1011, reason: 'backend restarting' });
      return;
    }
    current = ws;
    ws.connectToServer();
  });
  const page = await watched.newPage();
  await page.goto('/referrals');
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('quota')).toHaveText('1000');

  // The backend goes away; while it is away, a friend applies the member's code (completed at once).
  cut = true;
  await current!.close({ code: 1012, reason: 'backend restarting' });
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'offline');
  const friend = await newMember(browser, 'Lars');
  await friend.page.getByLabel("Enter a friend's code or paste their link").fill(code);
  await friend.page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(friend.page.getByTestId('quota')).toHaveText('1500');
  await expect(page.getByTestId('quota')).toHaveText('1000');

  // Back: the page reconnects and shows the bonus it missed, without a reload.
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
  cut = false;
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await expect(page.getByTestId('quota')).toHaveText('1500');
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');

  for (const c of [watched, member.context, friend.context]) await c.close();
});

test('a refused invite stays in the field as it was typed, to be corrected', async ({ browser }) => {
  const member = await newMember(browser, 'Ivo');
  const typed = '  ref-00000000-0000-4000-8000-00000000000A  ';
  const input = member.page.getByLabel("Enter a friend's code or paste their link");
  await input.fill(typed);
  await member.page.getByRole('button', { name: 'Apply invite' }).click();
  await expect(member.page.locator('.notice.bad')).toContainText('No one has this referral code');
  await expect(input).toHaveValue(typed);
  await member.context.close();
});
