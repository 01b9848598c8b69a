// The program's settings (/admin/program, docs/reviewing-referrals.md,
// "Changing the program") as an operator uses them: change the referrer's
// reward, confirm old → new, and a member's open page, their landing page and
// the history show the new version at once. The test puts the defaults back
// afterwards (as one more version), since the other tests of the run expect them.
import { DEFAULT_PROGRAM } from '@app/common/constants';
import { closeDb, createDb } from '@app/common/db';
import { getProgram, updateProgram } from '@app/common/referrals';
import { expect, test } from '@playwright/test';
import { newMember, screenshots, signIn, visitorContext } from './helpers';

/** In ADMIN_EMAILS of the web server that e2e/run.ts starts. */
const OPERATOR = { name: 'Olga Operator', email: 'operator@example.test' };

test.afterAll(async () => {
  const db = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    const current = await getProgram({ db });
    if (current.rewardReferrer !== DEFAULT_PROGRAM.rewardReferrer) {
      await updateProgram({
        db,
        settings: structuredClone(DEFAULT_PROGRAM),
        actor: { id: null, email: OPERATOR.email },
        reason: 'e2e: back to the defaults',
      });
    }
  } finally {
    await closeDb(db);
  }
});

test('an operator raises the referrer reward; the member page and the landing page show it at once', async ({ browser }) => {
  const member = await newMember(browser, 'Memberprog');
  await expect(member.page.getByText(`and you get +${DEFAULT_PROGRAM.rewardReferrer}.`)).toBeVisible();
  const link = await member.page.getByTestId('referral-link').inputValue();

  const context = await visitorContext(browser);
  const page = await context.newPage();
  await signIn(page, OPERATOR, '/admin/program');
  await page.goto('/admin/referrals');
  await page.getByRole('link', { name: 'Program settings' }).click();
  await expect(page.getByRole('heading', { name: 'Referral program settings' })).toBeVisible();
  const version = Number((await page.locator('input[name="expectedVersion"]').inputValue()).trim());

  const reward = page.getByLabel('Reward for the referrer');
  await expect(reward).toHaveValue(String(DEFAULT_PROGRAM.rewardReferrer));
  await reward.fill('750');
  await page.getByLabel(/^Why/).fill('Holiday promotion');
  await page.getByRole('button', { name: 'Review the changes' }).click();
  await expect(page.getByTestId('program-changes')).toHaveText(`Reward for the referrer: ${DEFAULT_PROGRAM.rewardReferrer} → 750`);
  await screenshots(page, 'program-settings');
  await page.getByRole('button', { name: `Save version ${version + 1}` }).click();
  await expect(page.getByRole('status')).toContainText(`version ${version + 1} is in force`);
  const latest = page.getByTestId('program-history').getByRole('row').nth(1);
  await expect(latest).toContainText(`Reward for the referrer: ${DEFAULT_PROGRAM.rewardReferrer} → 750`);
  await expect(latest).toContainText(OPERATOR.email);
  await expect(latest).toContainText('Holiday promotion');

  // The member's next page load, and the landing page of their link, use the new version.
  await member.page.reload();
  await expect(member.page.getByText('and you get +750.')).toBeVisible();
  const visitor = await visitorContext(browser);
  const landing = await visitor.newPage();
  await landing.goto(link);
  await expect(landing.getByText(/gets \+750/)).toBeVisible();

  // A save made from a page that is no longer current is refused, and says why.
  await page.goto('/admin/program');
  const stale = await browser.newPage({ storageState: await context.storageState() });
  await stale.goto('/admin/program');
  await page.getByLabel('Reward for the friend').fill('600');
  await page.getByLabel(/^Why/).fill('Second change');
  await page.getByRole('button', { name: 'Review the changes' }).click();
  await page.getByRole('button', { name: `Save version ${version + 2}` }).click();
  await expect(page.getByRole('status')).toContainText(`version ${version + 2} is in force`);
  await stale.getByLabel('Reward for the friend').fill('650');
  await stale.getByLabel(/^Why/).fill('Made from an old page');
  await stale.getByRole('button', { name: 'Review the changes' }).click();
  await stale.getByRole('button', { name: `Save version ${version + 2}` }).click();
  const refused = stale.getByRole('alert').filter({ hasText: 'Another operator' });
  await expect(refused).toContainText(`Another operator saved version ${version + 2} meanwhile`);
  await expect(refused).toContainText('Nothing was saved.');
  await member.page.reload();
  await expect(member.page.getByText('Each friend who finishes signing up gets +600')).toBeVisible();

  await Promise.all([member.context.close(), context.close(), visitor.close(), stale.close()]);
});

test('the settings page is not there for a member', async ({ browser }) => {
  const member = await newMember(browser, 'Curious');
  const response = await member.page.goto('/admin/program');
  expect(response?.status()).toBe(404);
  await member.context.close();
});
