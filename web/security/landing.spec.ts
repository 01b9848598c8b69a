// Landing pages and the referral cookie (docs/auth.md, "How attribution
// survives sign-in"): the cookie is set only for a code that can be used; it
// only proposes an invite, which /onboard shows by name with a box to
// decline, and the server applies a code only when the submitted form
// carries it (cookie stuffing pays nobody without the person seeing it).
// Views are counted once per visitor, code and UTC day.
import { DEFAULT_PROGRAM, REFERRAL_COOKIE_NAME } from '@app/common';
import { schema } from '@app/common/db';
import { createUsers, referralOfReferred } from '@app/common/testing';
import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { person, submitDevLogin, visitorContext } from '../e2e/helpers';
import { actionIds, APP, attackerSite, formPost, http, member, setCookieValue, useDb } from './helpers';

const db = useDb();

test('a landing page of a made-up or used-up code sets no referral cookie; one of a usable code does', async () => {
  const madeUp = await http(`/referrals/ref-${randomUUID()}`);
  expect(madeUp.status).toBe(200);
  expect(setCookieValue(madeUp.cookies, REFERRAL_COOKIE_NAME)).toBeNull();

  const full = await member(db);
  for (const friend of await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer)) {
    await db.insert(schema.referrals).values({ referrerId: full.user.id, referredId: friend.id, programVersion: 1 });
  }
  const usedUp = await http(`/referrals/${full.user.referralCode}`);
  expect(usedUp.text).toContain('This invite has been used up');
  expect(setCookieValue(usedUp.cookies, REFERRAL_COOKIE_NAME)).toBeNull();

  const usable = await member(db);
  const landing = await http(`/referrals/${usable.user.referralCode}`);
  expect(setCookieValue(landing.cookies, REFERRAL_COOKIE_NAME)).toBe(usable.user.referralCode);
});

test('a stuffed cookie is shown by name on /onboard; unticking the box signs up without it, and nobody is paid', async ({ browser }) => {
  const stuffer = await member(db, { name: 'Sly Stuffer' });
  // A page elsewhere sends the visitor's browser through the stuffer's link (a redirect, a shortener, an ad).
  const site = await attackerSite(`<!doctype html><script>location.href = ${JSON.stringify(`${APP}/referrals/${stuffer.user.referralCode}`)};</script>`);
  const context = await visitorContext(browser);
  const page = await context.newPage();
  await page.goto(site.url);
  await page.waitForURL(new RegExp(`/referrals/${stuffer.user.referralCode}$`));
  await site.close();
  expect((await context.cookies()).find((c) => c.name === REFERRAL_COOKIE_NAME)?.value).toBe(stuffer.user.referralCode);

  // Days later the person signs up on their own, from the home page.
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  const who = person('Organic');
  await submitDevLogin(page, who);
  await expect(page).toHaveURL(/\/onboard$/);
  const invite = page.getByTestId('invite');
  await expect(invite).toContainText('Invited by Sly Stuffer');
  const box = invite.getByRole('checkbox');
  await expect(box).toBeChecked();
  await box.uncheck();
  await page.getByLabel('Your name').fill(who.name);
  await page.getByLabel(/I accept the terms/).check();
  await page.getByRole('button', { name: /Finish signing up/ }).click();
  await expect(page.getByRole('heading', { name: 'You are all set' })).toBeVisible();
  await expect(page.getByTestId('quota')).toHaveText('1000');
  const [user] = await db.select().from(schema.users).where(eq(schema.users.email, who.email));
  expect(await referralOfReferred(db, user!.id)).toBeNull();
  await context.close();
});

test('the server applies a code only from the submitted form, never from the cookie alone', async () => {
  const stuffer = await member(db);
  const newcomer = await member(db, { onboardedAt: null });
  const cookie = `${newcomer.cookie}; ${REFERRAL_COOKIE_NAME}=${stuffer.user.referralCode}`;
  const ids = await actionIds('/onboard', cookie);
  const signedUp = await http('/onboard', { origin: APP, cookie, body: formPost(ids.completeSignUp!, { name: 'Cookie Only', terms: 'on' }) });
  expect(signedUp.status).toBe(303);
  expect(await referralOfReferred(db, newcomer.user.id)).toBeNull();
});

test('views of a landing page count once per visitor, code and day', async () => {
  const referrer = await member(db);
  const path = `/referrals/${referrer.user.referralCode}`;
  const visitor = { 'x-forwarded-for': '203.0.113.30', 'user-agent': 'Same Visitor/1.0' };
  for (let i = 0; i < 5; i++) expect((await http(path, { headers: visitor })).status).toBe(200);
  expect((await http(path, { headers: { 'x-forwarded-for': '203.0.113.31', 'user-agent': 'Other Visitor/1.0' } })).status).toBe(200);
  // The count is written after the page is sent.
  await expect
    .poll(async () => {
      const [row] = await db.execute<{ views: number | null; rows: number }>(sql`
        select (select sum(views)::int from referral_landing_day where referrer_id = ${referrer.user.id}) as views,
               (select count(*)::int from referral_landing_view where referrer_id = ${referrer.user.id}) as rows`);
      return row;
    })
    .toEqual({ views: 2, rows: 2 });
});
