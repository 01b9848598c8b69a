import { devices, expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Screenshots go to test-results/screenshots; UPDATE_DOCS_SCREENSHOTS=1 writes the ones in docs/. */
const screenshotDir = process.env.UPDATE_DOCS_SCREENSHOTS
  ? path.resolve(here, '../../docs/screenshots')
  : path.resolve(here, '../test-results/screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

let visitors = 0;

/**
 * A new browser context (its own cookies) for one person, coming from their
 * own address and browser build, as real people do: a unique X-Forwarded-For
 * (what the one proxy the suite's server trusts would write: the app's client
 * address) and user agent. The fraud signals compare these, so two people
 * sharing one would be held for review. Addresses differ in their /24 too
 * (the same_network signal). `sameDeviceAs` makes a context look like
 * another's device (same address and browser).
 */
export async function visitorContext(
  browser: Browser,
  options: BrowserContextOptions & { sameDeviceAs?: BrowserContext } = {},
): Promise<BrowserContext> {
  const { sameDeviceAs, ...rest } = options;
  visitors += 1;
  const device = sameDeviceAs ? deviceOf.get(sameDeviceAs) : undefined;
  const ip = device?.ip ?? `10.${process.pid % 250}.${visitors % 250}.${(Math.floor(visitors / 250) % 250) + 1}`;
  const userAgent = device?.userAgent ?? `${devices['Desktop Chrome'].userAgent} Visitor/${process.pid}-${visitors}`;
  const context = await browser.newContext({
    viewport: DESKTOP,
    userAgent,
    ...rest,
    extraHTTPHeaders: { ...rest.extraHTTPHeaders, 'x-forwarded-for': ip },
  });
  deviceOf.set(context, { ip, userAgent });
  return context;
}
const deviceOf = new WeakMap<BrowserContext, { ip: string; userAgent: string }>();

/** A unique person for one test. */
export function person(label: string) {
  const tag = Math.random().toString(36).slice(2, 8);
  return { name: `${label} ${tag}`, email: `${label.toLowerCase()}-${tag}@example.test` };
}

/** Signs in on next-auth's sign-in page with the dev-login provider. */
export async function signIn(page: Page, who: { name: string; email: string }, callbackUrl = '/referrals') {
  await page.goto(`/api/auth/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await submitDevLogin(page, who);
}

/** Fills and submits the dev-login form of the sign-in page the browser is on. */
export async function submitDevLogin(page: Page, who: { name: string; email: string }) {
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Name (optional)').fill(who.name);
  await page.getByRole('button', { name: 'Sign in with Development login' }).click();
}

/** Finishes the onboarding form the browser is on. */
export async function finishOnboarding(page: Page, name: string) {
  await expect(page.getByRole('heading', { name: 'Finish signing up' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel(/I accept the terms/).check();
  await page.getByRole('button', { name: /Finish signing up/ }).click();
  await expect(page.getByRole('heading', { name: 'You are all set' })).toBeVisible();
}

/** A new browser (its own cookies) with a member who has signed up; it ends on /referrals. */
export async function newMember(browser: Browser, label: string): Promise<{ context: BrowserContext; page: Page; who: { name: string; email: string } }> {
  const context = await visitorContext(browser);
  const page = await context.newPage();
  const who = person(label);
  await signIn(page, who);
  await finishOnboarding(page, who.name);
  await page.getByRole('link', { name: 'Go to your referrals' }).click();
  await expect(page.getByRole('heading', { name: 'Your referrals' })).toBeVisible();
  return { context, page, who };
}

/** The page at phone and desktop size, saved as <name>-phone.png and <name>-desktop.png. */
export async function screenshots(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** The row of one invited friend in the member page's "People you invited" table. */
export function invitedRow(page: Page, name: string) {
  return page.getByRole('region', { name: 'People you invited' }).getByRole('row', { name: new RegExp(name) });
}
