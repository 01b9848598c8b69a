// Open redirects: every way the app takes a URL (next-auth's callbackUrl, on
// the sign-in page, in the sign-in and sign-out POSTs and after a real
// sign-in; /onboard?referral_code=; the landing page /referrals/<code>; and
// paths that look like another host) must leave the browser on the app.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DESKTOP, finishOnboarding, person, submitDevLogin, visitorContext } from '../e2e/helpers';
import {
  APP,
  NAMED_PAYLOADS,
  http,
  loopbackOnly,
  member,
  redirectPayloads,
  setCookieValue,
  staysOnApp,
  urlsInHtml,
  useDb,
} from './helpers';

const db = useDb();
const CALLBACK_COOKIE = 'next-auth.callback-url';

/** A next-auth CSRF token and the cookie it belongs to. */
async function csrf(): Promise<{ token: string; cookie: string }> {
  const response = await http('/api/auth/csrf');
  const token = (JSON.parse(response.text) as { csrfToken: string }).csrfToken;
  const cookie = response.cookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('next-auth.csrf-token='));
  expect(token && cookie).toBeTruthy();
  return { token, cookie: cookie! };
}

/** The Location of a redirect (fails when the response is not one). */
function location(response: { status: number; headers: Headers; text: string }, context: string): string {
  expect([301, 302, 303, 307, 308], `${context}: ${response.status} ${response.text.slice(0, 200)}`).toContain(response.status);
  return response.headers.get('location') ?? '';
}

/** A browser that may only talk to loopback; records what tried to leave, and any dialog (alert). */
async function guardedPage(browser: Browser) {
  // Each guarded visitor from an address of their own (the landing pages' per-client limit is not under test here).
  const context = await visitorContext(browser, { viewport: DESKTOP });
  const offsite = await loopbackOnly(context);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page, offsite, dialogs };
}

/** After the flow: the page is a normal page of the app, nothing left it, no script ran. */
async function expectStayedOnApp(page: Page, offsite: string[], dialogs: string[], payload: string) {
  await page.waitForLoadState('load');
  expect(staysOnApp(page.url()), `${JSON.stringify(payload)} ended on ${page.url()}`).toBe(true);
  await expect(page.getByRole('link', { name: 'Referrals', exact: true }), JSON.stringify(payload)).toBeVisible();
  expect(offsite, JSON.stringify(payload)).toEqual([]);
  expect(dialogs, JSON.stringify(payload)).toEqual([]);
}

test.describe('next-auth callbackUrl', () => {
  test('the sign-in page keeps every callbackUrl payload on the app (cookie, links and forms), without an error page', async () => {
    for (const payload of redirectPayloads()) {
      const response = await http(`/api/auth/signin?callbackUrl=${encodeURIComponent(payload)}`);
      expect(response.status, `${JSON.stringify(payload)}: ${response.text.slice(0, 200)}`).toBe(200);
      const remembered = setCookieValue(response.cookies, CALLBACK_COOKIE);
      expect(remembered, `${JSON.stringify(payload)}: no callback cookie`).not.toBeNull();
      expect(staysOnApp(remembered!), `${JSON.stringify(payload)} → cookie ${remembered}`).toBe(true);
      for (const url of urlsInHtml(response.text)) {
        expect(staysOnApp(url, `${APP}/api/auth/signin`), `${JSON.stringify(payload)} → ${url}`).toBe(true);
      }
    }
  });

  test('signing in and out over HTTP with a callbackUrl payload redirects only within the app', async () => {
    for (const payload of redirectPayloads()) {
      const { token, cookie } = await csrf();
      const who = person('Mallory');
      for (const json of [false, true]) {
        const form = new URLSearchParams({ csrfToken: token, email: who.email, name: who.name, callbackUrl: payload });
        if (json) form.set('json', 'true');
        const signIn = await http('/api/auth/callback/dev-login', { method: 'POST', cookie, origin: APP, body: form });
        // The sign-in itself succeeded: the redirect under test is the one after a real sign-in.
        expect(setCookieValue(signIn.cookies, 'next-auth.session-token'), JSON.stringify(payload)).toBeTruthy();
        const target = json ? (JSON.parse(signIn.text) as { url: string }).url : location(signIn, JSON.stringify(payload));
        expect(staysOnApp(target), `${JSON.stringify(payload)} (json=${json}) → ${target}`).toBe(true);
      }
      const signOut = await http('/api/auth/signout', {
        method: 'POST',
        cookie,
        origin: APP,
        body: new URLSearchParams({ csrfToken: token, callbackUrl: payload }),
      });
      const target = location(signOut, JSON.stringify(payload));
      expect(staysOnApp(target), `sign-out ${JSON.stringify(payload)} → ${target}`).toBe(true);
    }
  });

  test('after a real dev-login sign-in in the browser, every named payload lands on the app', async ({ browser }) => {
    test.setTimeout(150_000);
    for (const payload of NAMED_PAYLOADS) {
      const { context, page, offsite, dialogs } = await guardedPage(browser);
      await page.goto(`/api/auth/signin?callbackUrl=${encodeURIComponent(payload)}`);
      await submitDevLogin(page, person('Mallory'));
      await page.waitForURL((url) => !url.pathname.startsWith('/api/auth'));
      await expectStayedOnApp(page, offsite, dialogs, payload);
      await context.close();
    }
  });

  test('after a real sign-in through the OIDC provider, payloads land on the app', async ({ browser }) => {
    for (const payload of ['//evil.com', 'https://evil.com', 'javascript:alert(1)']) {
      const { context, page, offsite, dialogs } = await guardedPage(browser);
      await page.goto(`/api/auth/signin?callbackUrl=${encodeURIComponent(payload)}`);
      await page.getByRole('button', { name: 'Sign in with Mock ID' }).click();
      const who = person('Oscar');
      await page.getByLabel('Email address').fill(who.email);
      await page.getByLabel('Full name').fill(who.name);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL((url) => url.origin === APP && !url.pathname.startsWith('/api/auth'));
      await expectStayedOnApp(page, offsite, dialogs, payload);
      await context.close();
    }
  });
});

test.describe('/onboard?referral_code=', () => {
  test('signed out, signed up or not, every payload in referral_code keeps redirects and links on the app', async () => {
    const newcomer = await member(db, { onboardedAt: null });
    const existing = await member(db);
    for (const payload of redirectPayloads()) {
      const path = `/onboard?referral_code=${encodeURIComponent(payload)}`;

      const signedOut = await http(path);
      const toSignIn = location(signedOut, `signed out ${JSON.stringify(payload)}`);
      expect(staysOnApp(toSignIn), `${JSON.stringify(payload)} → ${toSignIn}`).toBe(true);
      const signInPage = await http(new URL(toSignIn, APP).toString());
      expect(signInPage.status, JSON.stringify(payload)).toBe(200);
      const remembered = setCookieValue(signInPage.cookies, CALLBACK_COOKIE);
      expect(staysOnApp(remembered ?? ''), `${JSON.stringify(payload)} → cookie ${remembered}`).toBe(true);

      const form = await http(path, { cookie: newcomer.cookie });
      expect(form.status, JSON.stringify(payload)).toBe(200);
      expect(form.text, 'the payload is not an invite').not.toContain('name="referralCode"');
      for (const url of urlsInHtml(form.text)) expect(staysOnApp(url, `${APP}/onboard`), `${JSON.stringify(payload)} → ${url}`).toBe(true);

      const done = await http(path, { cookie: existing.cookie });
      const toReferrals = location(done, `member ${JSON.stringify(payload)}`);
      expect(staysOnApp(toReferrals), `${JSON.stringify(payload)} → ${toReferrals}`).toBe(true);
    }
  });

  test('a visitor who opens /onboard with a payload, signs in and finishes signing up stays on the app', async ({ browser }) => {
    test.setTimeout(150_000);
    for (const payload of NAMED_PAYLOADS) {
      const { context, page, offsite, dialogs } = await guardedPage(browser);
      const who = person('Trudy');
      await page.goto(`/onboard?referral_code=${encodeURIComponent(payload)}`);
      await submitDevLogin(page, who);
      await finishOnboarding(page, who.name);
      await expectStayedOnApp(page, offsite, dialogs, payload);
      await context.close();
    }
  });
});

test.describe('landing page /referrals/<code>', () => {
  test('every payload as the code renders a page of the app whose links stay on the app, and sets no referral cookie', async () => {
    for (const payload of redirectPayloads()) {
      const paths = [`/referrals/${encodeURIComponent(payload)}`, `/referrals/${payload}`];
      for (const path of paths) {
        let url: URL;
        try {
          url = new URL(`${APP}${path}`);
        } catch {
          continue; // not a URL a browser could send
        }
        let response = await http(url.toString());
        for (let hops = 0; hops < 3 && response.status >= 300 && response.status < 400; hops++) {
          const next = response.headers.get('location') ?? '';
          expect(staysOnApp(next, url.toString()), `${path} → ${next}`).toBe(true);
          url = new URL(next, url);
          response = await http(url.toString());
        }
        expect([200, 404], `${path}: ${response.status}`).toContain(response.status);
        expect(setCookieValue(response.cookies, 'referral_code'), path).toBeNull();
        for (const link of urlsInHtml(response.text)) expect(staysOnApp(link, url.toString()), `${path} → ${link}`).toBe(true);
      }
    }
  });

  test('a visitor who opens a landing page with a payload and signs up from it stays on the app', async ({ browser }) => {
    test.setTimeout(150_000);
    for (const payload of NAMED_PAYLOADS) {
      const { context, page, offsite, dialogs } = await guardedPage(browser);
      const who = person('Eve');
      await page.goto(`/referrals/${encodeURIComponent(payload)}`);
      await page.getByRole('link', { name: 'Sign up' }).click();
      await submitDevLogin(page, who);
      await finishOnboarding(page, who.name);
      await expectStayedOnApp(page, offsite, dialogs, payload);
      await context.close();
    }
  });

  test('paths that look like another host are never redirected off the app (trailing-slash and slash clean-up)', async () => {
    const paths = [
      '//evil.com/',
      '///evil.com/',
      '/%5Cevil.com/',
      '/%5C%5Cevil.com/',
      '/%2F%2Fevil.com/',
      '/%09/evil.com/',
      '/referrals//evil.com/',
      '/referrals/%2F%2Fevil.com/',
      '/referrals/%5C%5Cevil.com/',
      '/referrals/%E0%A4%A',
      '/referrals/%2F%2Fevil.com%E0%A4%A',
    ];
    for (const path of paths) {
      const response = await http(`${APP}${path}`);
      const next = response.headers.get('location');
      if (next !== null) expect(staysOnApp(next, `${APP}${path}`), `${path} → ${next}`).toBe(true);
      expect(response.status, path).toBeLessThan(500);
    }
  });
});
