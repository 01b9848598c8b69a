// API keys (/admin/api-keys, docs/integration.md "API keys") as an operator
// uses them: made with a name and scopes, shown once, listed by their first
// characters only, revoked at once; and nobody else sees the page.
import { authenticateApiKey } from '@app/common';
import { closeDb, createDb } from '@app/common/db';
import { expect, test } from '@playwright/test';
import { newMember, signIn, visitorContext } from './helpers';

/** In ADMIN_EMAILS of the web server that e2e/run.ts starts. */
const OPERATOR = { name: 'Olga Operator', email: 'operator@example.test' };

test('an operator makes a key, sees it once, and revokes it; the key works until then', async ({ browser }) => {
  const db = createDb(process.env.DATABASE_URL!, { max: 1 });
  const context = await visitorContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, OPERATOR, '/admin/referrals');
    await page.goto('/admin/referrals');
    await page.getByRole('link', { name: 'API keys' }).click();
    await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();

    const name = `Billing ${Math.random().toString(36).slice(2, 8)}`;
    await page.getByLabel('Name (what will use it)').fill(name);
    await page.getByLabel('write').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByLabel('The new API key');
    await expect(shown).toHaveValue(/^rsk_[A-Za-z0-9_-]{32}$/);
    const key = await shown.inputValue();
    expect(await authenticateApiKey({ db, authorization: `Bearer ${key}`, scope: 'write' })).toMatchObject({ ok: true });

    // Listed by its first characters, with its last use; the key itself is never shown again.
    await page.reload();
    const row = page.getByTestId('api-keys').getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText(key.slice(0, 12));
    await expect(row).toContainText('read, write');
    await expect(row).not.toContainText('Never');
    expect(await page.content()).not.toContain(key);

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Revoked' })).toBeVisible();
    await expect(row).toContainText(`Revoked`);
    await expect(row).toContainText(OPERATOR.email);
    expect(await authenticateApiKey({ db, authorization: `Bearer ${key}`, scope: 'read' })).toMatchObject({ code: 'unauthenticated' });

    // A name that is no name makes nothing, and says why.
    await page.getByLabel('Name (what will use it)').fill('   ');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'No key was made' })).toContainText('Give the key a name');
  } finally {
    await context.close();
    await closeDb(db);
  }
});

test('the API keys page is not there for a member', async ({ browser }) => {
  const member = await newMember(browser, 'Keyless');
  const response = await member.page.goto('/admin/api-keys');
  expect(response?.status()).toBe(404);
  await member.context.close();
});
