// The README's quick start, step by step, in `pnpm dev` itself (the dev
// servers, development mode, no AUTH_SECRET, no proxy): two windows on one
// machine, both from 127.0.0.1 with the same browser. The second signs up
// through the first one's link and both get their bonus at once: on this
// machine, loopback is the development network it is (web/src/server/
// client-fingerprint.ts), so the demo is not held for review. (The one
// difference from the README: other ports than 3000 and 4000, so that the
// suite's own servers can run beside it.)
import { freePort } from '@app/common/testing/database';
import { startProcess, waitForHttp, WORKSPACE_ROOT, type ServerProcess } from '@app/common/testing/processes';
import { expect, test, type Browser } from '@playwright/test';
import { finishOnboarding, person, submitDevLogin } from './helpers';

test.describe.configure({ timeout: 300_000 });

let dev: ServerProcess | null = null;
let base = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const [port, backendPort] = [await freePort(), await freePort()];
  base = `http://localhost:${port}`;
  // In a process group of its own, stopped as a whole below, as Ctrl-C in a terminal stops it:
  // pnpm does not pass a signal on to the servers it started.
  dev = startProcess('pnpm', ['dev'], {
    cwd: WORKSPACE_ROOT,
    group: true,
    env: {
      ...process.env,
      NODE_ENV: undefined,
      AUTH_SECRET: undefined,
      NEXTAUTH_SECRET: undefined,
      AUTH_DEV_LOGIN: undefined,
      TRUST_PROXY: undefined,
      ADMIN_EMAILS: undefined,
      PORT: String(port),
      BACKEND_PORT: String(backendPort),
      APP_URL: base,
      NEXT_PUBLIC_BACKEND_WS_URL: `ws://localhost:${backendPort}/ws`,
      // The development build goes to its own folder: the suite's production build stays as it is.
      NEXT_DIST_DIR: '.next-quick-start',
    },
  });
  await waitForHttp(`${base}/`, dev, 150);
  // The development server compiles each route on its first request: do it once before the browsers
  // come, so their steps wait on the app, not on the compiler.
  for (const path of ['/api/auth/providers', '/api/auth/signin', '/onboard', '/onboard/welcome', '/referrals', '/referrals/ref-00000000-0000-4000-8000-000000000000', '/api/ws-token', '/api/auth/session']) {
    await fetch(`${base}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(120_000) });
  }
});

test.afterAll(async () => {
  await dev?.stop('SIGINT', 20_000);
});

/** A window of its own (its own cookies), with the same browser build as every other: one machine. */
async function window(browser: Browser) {
  const context = await browser.newContext({ baseURL: base, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) QuickStart/1.0' });
  return { context, page: await context.newPage() };
}

test('the README quick start: the second window signs up with the first one\'s link, and the first one\'s quota changes live', async ({ browser }) => {
  // "Open http://localhost:3000, click Sign in, and use Development login with any e-mail address."
  const first = await window(browser);
  const ada = person('Ada');
  await first.page.goto('/');
  await first.page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await submitDevLogin(first.page, ada);
  await finishOnboarding(first.page, ada.name);
  await first.page.getByRole('link', { name: 'Go to your referrals' }).click();
  await expect(first.page.getByTestId('quota')).toHaveText('1000');
  await expect(first.page.getByTestId('live-status')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });

  // "Copy your link from /referrals and open it in a private window as a second user."
  const link = await first.page.getByTestId('referral-link').inputValue();
  const second = await window(browser);
  const grace = person('Grace');
  await second.page.goto(link);
  await second.page.getByRole('link', { name: 'Sign in to accept' }).click();
  await submitDevLogin(second.page, grace);
  await expect(second.page.getByTestId('invite')).toContainText(`Invited by ${ada.name}`);
  await finishOnboarding(second.page, grace.name);
  await expect(second.page.getByTestId('quota')).toHaveText('1500');

  // "The first window's quota changes live when the second finishes signing up."
  await expect(first.page.getByTestId('quota')).toHaveText('1500', { timeout: 30_000 });
  await expect(first.page.getByRole('region', { name: 'People you invited' })).toContainText('Completed');

  await first.context.close();
  await second.context.close();
});
