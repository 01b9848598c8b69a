// The example host app (examples/host-app) on a site of its own
// (127.0.0.1) using the referral app (localhost) through the server API and
// the embedded portal, in a browser that blocks third-party cookies
// (docs/integration.md, "The example host app"). This spec starts its own
// referral app and backend, configured as an operator adopting it from
// another product would (EMBED_ALLOWED_ORIGINS, EXTERNAL_SIGNUP_URL), on the
// suite's database.
import { createApiKey, DEFAULT_QUOTA, getProgram } from '@app/common';
import { closeDb, createDb } from '@app/common/db';
import { freePort } from '@app/common/testing/database';
import { startBackend, startWeb, type RunningServer } from '@app/common/testing/processes';
import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { startHostApp } from '../../examples/host-app/server';
import { person, screenshots, visitorContext } from './helpers';

// A browser that blocks third-party cookies (Chrome's phase-out, as Safari does by default): the portal in the
// host's page is a third-party frame, so it must work without any cookie of its own. (Playwright's contexts,
// like incognito windows, already block them; the flag says so outright, and the test checks the frame has
// no storage access and can set no cookie.)
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH || undefined,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--test-third-party-cookie-phaseout',
    ],
  },
});
test.describe.configure({ timeout: 150_000 });

const db = createDb(process.env.DATABASE_URL!, { max: 2 });
let referralApp: RunningServer;
let backend: RunningServer;
let host: Awaited<ReturnType<typeof startHostApp>>;
let stranger: Server;
let strangerUrl: string;
let apiKey: string;

test.beforeAll(async () => {
  const made = await createApiKey({ db, input: { name: 'example host', scopes: ['read', 'write'] }, actor: { id: null, email: 'operator@example.test' } });
  if (!made.ok) throw new Error(made.message);
  apiKey = made.key;
  const [appPort, hostPort, strangerPort] = [await freePort(), await freePort(), await freePort()];
  const appUrl = `http://localhost:${appPort}`;
  const hostOrigin = `http://127.0.0.1:${hostPort}`;
  backend = await startBackend({ DATABASE_URL: process.env.DATABASE_URL, AUTH_SECRET: process.env.E2E_AUTH_SECRET, APP_URL: appUrl });
  referralApp = await startWeb(
    {
      DATABASE_URL: process.env.DATABASE_URL,
      AUTH_SECRET: process.env.E2E_AUTH_SECRET,
      TRUST_PROXY: '1',
      NEXT_PUBLIC_BACKEND_WS_URL: `ws://localhost:${backend.port}/ws`,
      EMBED_ALLOWED_ORIGINS: hostOrigin,
      EXTERNAL_SIGNUP_URL: `${hostOrigin}/signup`,
    },
    { port: appPort },
  );
  // The host sits behind "its proxy": each browser context's X-Forwarded-For (helpers.ts visitorContext) is its address.
  host = await startHostApp({ referralsUrl: appUrl, apiKey, port: hostPort, trustProxy: true });
  // A page of an origin the operator did not list, trying to frame a member's portal.
  stranger = createServer((request, response) => {
    const src = new URL(request.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><title>Stranger</title><iframe id="portal" src="${src.replace(/"/g, '&quot;')}"></iframe>`);
  });
  await new Promise<void>((resolve) => stranger.listen(strangerPort, '127.0.0.1', resolve));
  strangerUrl = `http://127.0.0.1:${strangerPort}`;
});

test.afterAll(async () => {
  await host?.stop();
  await new Promise((resolve) => stranger?.close(resolve));
  await referralApp?.stop();
  await backend?.stop();
  await closeDb(db);
});

const portalOf = (page: Page): FrameLocator => page.frameLocator('iframe[title="Your referrals"]');

async function signUpAtHost(page: Page, who: { name: string; email: string }) {
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('E-mail', { exact: true }).fill(who.email);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('heading', { name: `Hello, ${who.name}` })).toBeVisible();
}

test('a friend signs up at the host from a referral link, converts, and both see their quota in the embedded portal; the referrer\'s updates live', async ({ browser }) => {
  const program = await getProgram({ db });
  const referrerContext = await visitorContext(browser);
  const referrerPage = await referrerContext.newPage();
  const ada = person('Ada');
  await referrerPage.goto(host.url);
  await signUpAtHost(referrerPage, ada);
  const referrerPortal = portalOf(referrerPage);
  await expect(referrerPortal.getByRole('heading', { name: 'Your referrals' })).toBeVisible();
  await expect(referrerPortal.getByTestId('quota')).toHaveText(String(DEFAULT_QUOTA));
  await expect(referrerPortal.getByTestId('live-status')).toHaveAttribute('data-state', 'live');
  const link = await referrerPortal.getByTestId('referral-link').inputValue();
  expect(new URL(link).origin).toBe(referralApp.base);

  // The portal is a third-party frame in a browser that blocks third-party cookies: it can set none, and needs none.
  const portalFrame = referrerPage.frames().find((f) => f.url().startsWith(`${referralApp.base}/embed/portal`));
  expect(portalFrame, 'the portal frame').toBeDefined();
  expect(
    await portalFrame!.evaluate(async () => ({
      storageAccess: await document.hasStorageAccess(),
      cookies: ((document.cookie = 'probe=1; SameSite=None; Secure'), (document.cookie = 'lax=1'), document.cookie),
    })),
  ).toEqual({ storageAccess: false, cookies: '' });

  // The friend opens the link: the landing page sends them to the host's sign-up, with the code.
  const friendContext = await visitorContext(browser);
  const friendPage = await friendContext.newPage();
  await friendPage.goto(link);
  await friendPage.getByTestId('external-signup').click();
  await expect(friendPage).toHaveURL(new RegExp(`^${host.url}/signup\\?referral_code=`));
  const bob = person('Bob');
  await signUpAtHost(friendPage, bob);
  await expect(friendPage.getByTestId('invite-message')).toContainText(`Invite from ${ada.name} applied`);
  await expect(portalOf(friendPage).getByTestId('quota')).toHaveText(String(DEFAULT_QUOTA));

  // The host's conversion event: the referral completes; the friend's portal shows the bonus.
  await friendPage.getByRole('button', { name: 'Start my subscription' }).click();
  await expect(friendPage.getByTestId('subscribed')).toBeVisible();
  await expect(portalOf(friendPage).getByTestId('quota')).toHaveText(String(DEFAULT_QUOTA + program.rewardReferred));
  await screenshots(friendPage, 'embedded-portal');

  // The referrer's portal, open all along, updates by itself.
  await expect(referrerPortal.getByTestId('quota')).toHaveText(String(DEFAULT_QUOTA + program.rewardReferrer), { timeout: 20_000 });
  await expect(referrerPortal.getByRole('region', { name: 'People you invited' }).getByRole('row', { name: new RegExp(bob.name) })).toContainText('Completed');

  // Entering a code and regenerating work in the portal too (forms carry the portal's session, not a cookie).
  referrerPage.once('dialog', (dialog) => void dialog.accept());
  await referrerPortal.getByRole('button', { name: 'Get a new code' }).click();
  await expect(referrerPortal.getByText('You have a new code.')).toBeVisible();
  expect(await referrerPortal.getByTestId('referral-link').inputValue()).not.toBe(link);
  await referrerContext.close();
  await friendContext.close();
});

test('a page of an origin the operator did not list cannot frame the portal; a used or forged embed token opens nothing', async ({ browser }) => {
  const put = await fetch(`${referralApp.base}/api/v1/members/stranger-victim`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Victim' }),
  });
  expect(put.status).toBe(200);
  const mint = async () => {
    const response = await fetch(`${referralApp.base}/api/v1/members/stranger-victim/embed-token`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { url: string }).url;
  };

  const context = await visitorContext(browser);
  const page = await context.newPage();
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('frame-ancestors')) refusals.push(message.text());
  });
  await page.goto(`${strangerUrl}/?${new URLSearchParams({ src: await mint() })}`);
  await expect.poll(() => refusals.length, { timeout: 15_000 }).toBeGreaterThan(0);
  await expect(page.frameLocator('#portal').getByRole('heading', { name: 'Your referrals' })).toHaveCount(0);

  // The host's own origin may frame it: the same check passes there (first test); here the token's second use fails.
  const url = await mint();
  const first = await fetch(url, { redirect: 'manual' });
  expect(first.status).toBe(303);
  expect(first.headers.get('content-security-policy') ?? '').toContain(`frame-ancestors ${host.url}`);
  const replay = await fetch(url, { redirect: 'manual' });
  expect(replay.status).toBe(401);
  const forged = new URL(url);
  forged.searchParams.set('token', `${forged.searchParams.get('token')!.slice(0, -3)}abc`);
  expect((await fetch(forged, { redirect: 'manual' })).status).toBe(401);
  // Every other page still refuses every frame.
  const landing = await fetch(`${referralApp.base}/`, { redirect: 'manual' });
  expect(landing.headers.get('x-frame-options')).toBe('DENY');
  expect(landing.headers.get('content-security-policy') ?? '').toContain(`frame-ancestors 'none'`);
  await context.close();
});
