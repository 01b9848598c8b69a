// Deleting an account, as a member does it from /referrals (docs/user-flows.md):
// the person is signed out and erased; the referral they were part of and the
// quota ledger stay, so the referrer keeps the bonus and the place stays
// counted; and the same person, back under the same address, can be neither
// referred nor rewarded again.
import { findLedgerViolations } from '@app/common';
import { closeDb, createDb } from '@app/common/db';
import { expect, test } from '@playwright/test';
import { finishOnboarding, invitedRow, newMember, person, submitDevLogin, visitorContext } from './helpers';

test('a friend who was paid deletes their account; back under the same address they cannot be referred or rewarded again', async ({ browser }) => {
  const referrer = await newMember(browser, 'Rosa');
  const link = await referrer.page.getByTestId('referral-link').inputValue();

  // The friend joins through the link: both get their bonus.
  const context = await visitorContext(browser);
  const page = await context.newPage();
  const friend = person('Dora');
  await page.goto(link);
  await page.getByRole('link', { name: 'Sign in to accept' }).click();
  await submitDevLogin(page, friend);
  await finishOnboarding(page, friend.name);
  await expect(page.getByTestId('quota')).toHaveText('1500');
  await page.getByRole('link', { name: 'Go to your referrals' }).click();

  // The friend deletes their account: type the word, confirm the dialog.
  await page.getByLabel('Type "delete" to confirm').fill('delete');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('Your account was deleted.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  const gone = await page.goto('/referrals');
  expect(new URL(page.url()).pathname).toBe('/api/auth/signin');
  expect(gone?.status()).toBe(200);

  // The referrer keeps the bonus; the place stays used; the friend is anonymous now.
  await referrer.page.reload();
  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await expect(referrer.page.getByTestId('used-referrals')).toContainText('1');
  await expect(referrer.page.getByRole('region', { name: 'People you invited' })).not.toContainText(friend.name);
  await expect(invitedRow(referrer.page, 'A friend')).toContainText('Completed');

  // Back, under the same address, through another member's link: the invite is not applied.
  const other = await newMember(browser, 'Otto');
  const otherLink = await other.page.getByTestId('referral-link').inputValue();
  await page.goto(otherLink);
  await page.getByRole('link', { name: 'Sign in to accept' }).click();
  await submitDevLogin(page, friend);
  await expect(page.getByTestId('invite')).toContainText(`Invited by ${other.who.name}`);
  await finishOnboarding(page, friend.name);
  await expect(page.getByText('Your invite could not be applied: Referral codes can only be used by new accounts.')).toBeVisible();
  await expect(page.getByTestId('quota')).toHaveText('1000');
  await other.page.reload();
  await expect(other.page.getByTestId('quota')).toHaveText('1000');
  await expect(other.page.getByTestId('used-referrals')).toContainText('0');

  // Every quota is still 1000 plus its ledger rows.
  const db = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    expect(await findLedgerViolations(db.$client)).toEqual([]);
  } finally {
    await closeDb(db);
  }
  for (const c of [context, referrer.context, other.context]) await c.close();
});
