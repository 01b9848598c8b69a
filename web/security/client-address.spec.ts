// The client's address is one the client cannot choose (docs/security.md,
// "Which address"): the web server (web/server.ts) takes the TCP peer, or the
// entry the proxies of TRUST_PROXY added. The suite's own server trusts one
// proxy (the browsers play it, e2e/run.ts); this file also starts one that
// trusts none, as a server reached directly must be.
import { hashClientValue, VALIDATE_RATE_LIMIT_REQUESTS } from '@app/common';
import { schema } from '@app/common/db';
import { startWeb, WEB_DIR, type RunningServer } from '@app/common/testing/processes';
import { freePort } from '@app/common/testing/database';
import { startProcess } from '@app/common/testing/processes';
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { finishOnboarding, person, submitDevLogin } from '../e2e/helpers';
import { AUTH_SECRET, member, useDb } from './helpers';

const db = useDb();

test.describe('a web server reached directly (no TRUST_PROXY)', () => {
  let direct: RunningServer;
  test.beforeAll(async () => {
    direct = await startWeb({ DATABASE_URL: process.env.DATABASE_URL, AUTH_SECRET, AUTH_DEV_LOGIN: 'true', TRUST_PROXY: undefined });
  });
  test.afterAll(async () => {
    await direct?.stop();
  });

  test('a different made-up X-Forwarded-For on every request does not get around the validate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= VALIDATE_RATE_LIMIT_REQUESTS; i++) {
      const response = await fetch(`${direct.base}/api/referrals/validate?code=nope`, {
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}`, 'x-real-ip': `198.51.100.${i + 1}` },
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, VALIDATE_RATE_LIMIT_REQUESTS).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  test('the address stored for a sign-up is the TCP peer, not the one the client wrote in the headers', async ({ browser }) => {
    const context = await browser.newContext({
      baseURL: direct.base,
      extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.77', 'x-real-ip': '203.0.113.78', 'x-referrals-client-address': '203.0.113.79' },
    });
    const page = await context.newPage();
    const who = person('Spoofer');
    await page.goto('/api/auth/signin?callbackUrl=%2Freferrals');
    await submitDevLogin(page, who);
    await finishOnboarding(page, who.name);
    const [user] = await db.select().from(schema.users).where(eq(schema.users.email, who.email));
    expect(user!.signupIpHash).toBe(hashClientValue(AUTH_SECRET, 'ip', '127.0.0.1'));
    for (const spoofed of ['203.0.113.77', '203.0.113.78', '203.0.113.79']) {
      expect(user!.signupIpHash).not.toBe(hashClientValue(AUTH_SECRET, 'ip', spoofed));
    }
    await context.close();
  });
});

test('behind a trusted proxy, an X-Forwarded-For entry that is no address stores none, and the referral is held (missing_address)', async ({ browser }) => {
  const referrer = await member(db, { name: 'Rita Referrer' });
  const context = await browser.newContext({ userAgent: `Nobody's Browser/${randomUUID()}`, extraHTTPHeaders: { 'x-forwarded-for': ',' } });
  const page = await context.newPage();
  const who = person('Nobody');
  await page.goto(`/referrals/${referrer.user.referralCode}`);
  await page.getByRole('link', { name: 'Sign in to accept' }).click();
  await submitDevLogin(page, who);
  await finishOnboarding(page, who.name);
  const [friend] = await db.select().from(schema.users).where(eq(schema.users.email, who.email));
  expect(friend!.signupIpHash).toBeNull();
  const [referral] = await db.select().from(schema.referrals).where(eq(schema.referrals.referredId, friend!.id));
  expect(referral).toMatchObject({ status: 'held' });
  expect(referral!.signals).toContain('missing_address');
  await context.close();
});

test('`next start` alone, which would let clients choose their address, refuses to serve', async () => {
  const port = await freePort();
  const server = startProcess(path.join(WEB_DIR, 'node_modules', '.bin', 'next'), ['start', '--port', String(port)], {
    cwd: WEB_DIR,
    env: { ...process.env, NODE_ENV: 'production', AUTH_SECRET, DATABASE_URL: process.env.DATABASE_URL, REFERRALS_WEB_SERVER: undefined },
  });
  const code = await Promise.race([server.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 30_000))]);
  if (code === 'running') await server.stop();
  expect(code, server.output()).toBe(1);
  expect(server.output()).toContain('start the web app with its own server');
});

