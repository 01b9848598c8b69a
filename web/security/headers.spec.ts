// Security headers: a strict Content-Security-Policy with a fresh nonce on
// every page (and the pages really work under it: hydration, the copy button,
// the live-updates websocket, client navigation, with no violation reported),
// no framing, a Referrer-Policy, nosniff everywhere, no X-Powered-By.
import { expect, test, type Page } from '@playwright/test';
import { newMember } from '../e2e/helpers';
import { APP, BACKEND_PORT, attackerSite, http, loopbackOnly, member, useDb } from './helpers';

const db = useDb();
const PAGE_WS_URL = `ws://localhost:${BACKEND_PORT}/ws`;

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

/** Checks one page's policy and its scripts; returns the nonce. */
function expectStrictPolicy(policy: string | null, html: string, where: string): string {
  expect(policy, `${where}: no Content-Security-Policy`).toBeTruthy();
  const csp = directives(policy!);
  const scripts = csp.get('script-src') ?? [];
  const nonce = scripts.map((v) => /^'nonce-([A-Za-z0-9+/_=-]+)'$/.exec(v)?.[1]).find(Boolean);
  expect(nonce, `${where}: script-src has no nonce: ${policy}`).toBeTruthy();
  expect(nonce!.length, `${where}: nonce too short`).toBeGreaterThanOrEqual(22);
  expect(scripts, where).toContain(`'strict-dynamic'`);
  for (const loose of [`'unsafe-inline'`, `'unsafe-eval'`, '*', 'http:', 'https:', 'data:']) expect(scripts, `${where}: script-src ${loose}`).not.toContain(loose);
  expect(csp.get('default-src'), where).toEqual([`'self'`]);
  expect(csp.get('object-src'), where).toEqual([`'none'`]);
  expect([[`'none'`], [`'self'`]], `${where}: base-uri`).toContainEqual(csp.get('base-uri'));
  expect(csp.get('frame-ancestors'), where).toEqual([`'none'`]);
  expect(csp.get('form-action'), where).toEqual([`'self'`]);
  const connect = csp.get('connect-src') ?? [];
  expect(connect, where).toContain(`'self'`);
  expect(connect.some((source) => PAGE_WS_URL.startsWith(source)), `${where}: connect-src lacks the backend: ${connect}`).toBe(true);
  expect(connect, where).not.toContain('*');
  expect(connect, where).not.toContain('ws:');

  const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(tags.length, `${where}: no scripts?`).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, `${where}: a script without this response's nonce`).toContain(`nonce="${nonce}"`);
  return nonce!;
}

test('every page sends a strict Content-Security-Policy whose fresh nonce is on each of its scripts', async () => {
  const user = await member(db);
  const newcomer = await member(db, { onboardedAt: null });
  const pages: [string, string | undefined, number][] = [
    ['/', undefined, 200],
    ['/', user.cookie, 200],
    ['/referrals', user.cookie, 200],
    ['/referrals', user.cookie, 200],
    ['/onboard', newcomer.cookie, 200],
    ['/onboard/welcome', user.cookie, 200],
    [`/referrals/${user.user.referralCode}`, undefined, 200],
    ['/referrals/not-a-code', undefined, 200],
    ['/no-such-page', undefined, 404],
  ];
  const nonces = new Set<string>();
  for (const [path, cookie, status] of pages) {
    const response = await http(path, { cookie });
    expect(response.status, path).toBe(status);
    nonces.add(expectStrictPolicy(response.headers.get('content-security-policy'), response.text, path));
  }
  expect(nonces.size, 'a nonce is never reused').toBe(pages.length);
});

test('pages, API routes, sign-in pages, redirects and static files: nosniff, no framing, a Referrer-Policy, no X-Powered-By', async () => {
  const user = await member(db);
  const home = await http('/');
  const chunk = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(home.text)?.[1];
  expect(chunk).toBeTruthy();
  const targets: [string, string | undefined][] = [
    ['/', undefined],
    ['/referrals', user.cookie],
    ['/referrals', undefined],
    ['/no-such-page', undefined],
    ['/referrals/%E0%A4%A', undefined],
    ['/api/referrals', undefined],
    ['/api/referrals', user.cookie],
    ['/api/ws-token', user.cookie],
    ['/api/referrals/validate?code=x', undefined],
    ['/api/auth/signin', undefined],
    ['/api/auth/providers', undefined],
    [chunk!, undefined],
  ];
  for (const [path, cookie] of targets) {
    const { headers, status } = await http(path, { cookie, headers: { 'x-forwarded-for': '192.0.2.44' } });
    const where = `${path} (${status})`;
    expect(headers.get('x-content-type-options'), where).toBe('nosniff');
    expect(headers.get('x-frame-options'), where).toBe('DENY');
    expect(headers.get('referrer-policy'), where).toBe('strict-origin-when-cross-origin');
    expect(headers.get('x-powered-by'), where).toBeNull();
    const permissions = headers.get('permissions-policy') ?? '';
    expect(permissions, where).toMatch(/camera=\(\)/);
    // The copy and share buttons need these.
    expect(permissions, where).not.toMatch(/clipboard-write=\(\)|web-share=\(\)/);
  }
});

/** Records every CSP violation the page sees (from before its first script) and every CSP console error. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  const logged: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) logged.push(message.text());
  });
  return async () => [...logged, ...((await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations)) ?? [])];
}

test('the pages work under their policy: the member page hydrates, copies, goes live over the websocket; no violation anywhere', async ({ browser }) => {
  const other = await member(db, { name: 'Grace Inviter' });
  const { context, page } = await newMember(browser, 'Barbara');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: APP });
  const violations = await watchViolations(page);

  const tokenResponse = page.waitForResponse((r) => r.url().endsWith('/api/ws-token'));
  await page.goto('/referrals');
  expect((await tokenResponse).status()).toBe(200);
  // The live-updates island ran, fetched its token and opened the backend websocket (connect-src).
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'live');
  // The copy button is hydrated and works.
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied!' })).toBeVisible();
  const link = await page.getByTestId('referral-link').inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  // The confirm button is hydrated too: dismissing its question keeps the code.
  const code = await page.getByTestId('referral-code').innerText();
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Get a new code' }).click();
  await expect(page.getByTestId('referral-code')).toHaveText(code);
  await expect(page.locator('.qr svg')).toBeVisible();
  // A client-side navigation (RSC fetch) and other pages.
  await page.getByRole('link', { name: 'Referrals', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Invite friends, get more quota' })).toBeVisible();
  expect(await violations()).toEqual([]);
  for (const path of [`/referrals/${other.user.referralCode}`, '/referrals/not-a-code', '/no-such-page', '/onboard/welcome']) {
    await page.goto(path);
    await expect(page.getByRole('link', { name: 'Referrals', exact: true })).toBeVisible();
    expect(await violations(), path).toEqual([]);
  }
  await context.close();
});

test('the policy is enforced: script injected into a page\'s HTML without the nonce does not run', async ({ page }) => {
  // As if the page had an XSS hole: the server's real response, with attacker markup added to its HTML.
  await page.route(`${APP}/`, async (route) => {
    const response = await route.fetch();
    const injected = [
      '<script>window.__injected = "inline"</script>',
      `<script src="${APP}/_next/static/chunks/not-there.js"></script>`,
      '<img src="x:broken" onerror="window.__injected = \'handler\'">',
      '<a id="js-link" href="javascript:window.__injected = \'link\'">x</a>',
    ].join('');
    await route.fulfill({ response, body: (await response.text()).replace('</body>', `${injected}</body>`) });
  });
  const violations = await watchViolations(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Invite friends, get more quota' })).toBeVisible();
  await page.locator('#js-link').click();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected ?? null)).toBeNull();
  const seen = await violations();
  for (const directive of ['script-src-elem', 'script-src-attr']) {
    expect(seen.some((v) => v.includes(directive)), `${directive} not reported:\n${seen.join('\n')}`).toBe(true);
  }
  // The app's own inline scripts (with the nonce) did run: they fill Next's flight data.
  expect(await page.evaluate(() => Array.isArray((window as unknown as { __next_f?: unknown }).__next_f))).toBe(true);
});

test('another site cannot show the app in a frame (clickjacking)', async ({ browser }) => {
  const evil = await attackerSite(`<!doctype html><title>evil</title><h1>Click the prize</h1>
<iframe id="app" src="${APP}/" width="800" height="600"></iframe>
<script>document.getElementById('app').onload = () => { window.frameLoaded = true; };</script>`);
  const context = await browser.newContext();
  const offsite = await loopbackOnly(context);
  const page = await context.newPage();
  const framed = page.waitForResponse((r) => r.url() === `${APP}/`);
  await page.goto(evil.url);
  // The app did answer the frame's request: only the browser's enforcement of its headers can stop it.
  expect((await framed).status()).toBe(200);
  await page.waitForFunction(() => (window as unknown as { frameLoaded?: boolean }).frameLoaded === true);
  await page.waitForTimeout(500);
  await expect(page.frameLocator('#app').getByRole('heading', { name: 'Invite friends, get more quota' })).toHaveCount(0);
  expect(offsite).toEqual([]);
  await context.close();
  await evil.close();
});
