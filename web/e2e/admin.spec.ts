// The operator page (/admin/referrals, docs/reviewing-referrals.md) as people use it: a
// referral held by the fraud signals, seen by both members as under review,
// approved by the operator (ADMIN_EMAILS, set by e2e/run.ts), with both open
// member pages updated live; and nobody else can see the page or use its actions.
import { closeDb, createDb } from '@app/common/db';
import { DEFAULT_PROGRAM } from '@app/common/constants';
import { signalWords } from '@app/common/referrals';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { finishOnboarding, newMember, person, screenshots, signIn, submitDevLogin, visitorContext } from './helpers';

/** In ADMIN_EMAILS of the web server that e2e/run.ts starts. */
const OPERATOR = { name: 'Olga Operator', email: 'operator@example.test' };
const SAME_IP_WORDS = signalWords('same_ip', DEFAULT_PROGRAM);

type Member = { context: BrowserContext; page: Page; who: { name: string; email: string } };

/**
 * A friend follows the member's link, signs in and finishes signing up; ends
 * on the friend's /referrals page. `sameDevice`: from the referrer's own
 * address and browser (the same_ip signal holds the referral).
 */
async function inviteFriend(browser: Browser, referrer: Member, label: string, options: { sameDevice?: boolean } = {}): Promise<Member> {
  const link = await referrer.page.getByTestId('referral-link').inputValue();
  const context = await visitorContext(browser, options.sameDevice ? { sameDeviceAs: referrer.context } : {});
  const page = await context.newPage();
  const who = person(label);
  await page.goto(link);
  await page.getByRole('link', { name: 'Sign in to accept' }).click();
  await submitDevLogin(page, who);
  await finishOnboarding(page, who.name);
  await page.getByRole('link', { name: 'Go to your referrals' }).click();
  await expect(page.getByRole('heading', { name: 'Your referrals' })).toBeVisible();
  return { context, page, who };
}

async function operatorPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await visitorContext(browser);
  const page = await context.newPage();
  await signIn(page, OPERATOR, '/admin/referrals');
  await page.goto('/admin/referrals');
  await expect(page.getByRole('heading', { name: 'Referral operations' })).toBeVisible();
  return { context, page };
}

const queueItem = (page: Page, friend: Member, referrer: Member) =>
  page.getByRole('article', { name: `${friend.who.name}, invited by ${referrer.who.name}` });

const REFERRERS = ['Katherine Johnson', 'Dorothy Vaughan', 'Margaret Hamilton', 'Frances Allen', 'Annie Easley', 'Joan Clarke', 'Evelyn Boyd', 'Mary Jackson', 'Kathleen Booth'];
const FRIENDS = ['Alex', 'Sam', 'Jordan', 'Robin', 'Kim', 'Lee', 'Noor', 'Ravi', 'Mia', 'Tomás', 'Yuki', 'Ola'];

/**
 * Two weeks of earlier activity for the funnel chart, written straight to the
 * throwaway database of this run (a browser cannot sign people up in the
 * past): landing views and referrals per day, completed ones with their
 * rewards in the ledger (quota_grant_apply), at most the cap per referrer.
 * Returns the seeded counts of one day, to check the page against.
 */
async function seedTwoWeeks(): Promise<{ day: string; landingViews: number; signUps: number }> {
  const db = createDb(process.env.DATABASE_URL!, { max: 1 });
  const tag = Math.random().toString(36).slice(2, 8);
  const views = [5, 8, 6, 9, 12, 7, 10, 14, 9, 11, 15, 12, 16];
  const signUps = [1, 2, 1, 2, 3, 2, 3, 4, 3, 3, 4, 3, 5];
  try {
    await db.$client.begin(async (sql) => {
      const referrers: string[] = [];
      for (const name of REFERRERS) {
        const [row] = await sql<{ id: string }[]>`
          insert into "user" (id, name, email, onboarded_at, created_at)
          values (gen_random_uuid()::text, ${name}, ${`${name.split(' ')[0]!.toLowerCase()}-${tag}@example.test`}, now() - interval '20 days', now() - interval '20 days')
          returning id`;
        referrers.push(row!.id);
      }
      let n = 0;
      for (const [i, count] of signUps.entries()) {
        const daysAgo = views.length - i;
        for (let v = 0; v < views[i]!; v++) {
          // As recordLandingView counts a new visitor: the referrer's day, and one of the program's day shards.
          await sql`
            with referrer_day as (
              insert into referral_landing_day (day, referrer_id, views)
              values ((now() at time zone 'UTC')::date - ${daysAgo}::int, ${referrers[(i + v) % referrers.length]!}, 1)
              on conflict (day, referrer_id) do update set views = referral_landing_day.views + 1
            )
            insert into referral_landing_total (day, shard, views) values ((now() at time zone 'UTC')::date - ${daysAgo}::int, ${v % 8}, 1)
            on conflict (day, shard) do update set views = referral_landing_total.views + 1`;
        }
        for (let k = 0; k < count; k++, n++) {
          const referrer = referrers[n % referrers.length]!;
          const status = n % 7 === 3 ? 'rejected' : daysAgo <= 2 && n % 3 === 0 ? 'pending' : 'completed';
          const name = `${FRIENDS[n % FRIENDS.length]} ${String.fromCharCode(65 + (n % 26))}.`;
          const [friend] = await sql<{ id: string }[]>`
            insert into "user" (id, name, email, onboarded_at, created_at)
            values (gen_random_uuid()::text, ${name}, ${`friend-${tag}-${n}@example.test`},
              case when ${status} = 'pending' then null else date_trunc('day', now()) - make_interval(days => ${daysAgo}) + make_interval(hours => ${9 + k * 2}, mins => 20) end,
              date_trunc('day', now()) - make_interval(days => ${daysAgo}) + make_interval(hours => ${9 + k * 2}))
            returning id`;
          await sql`
            insert into referral (referrer_id, referred_id, status, created_at, completed_at, decided_at, status_reason,
              program_version, scored_program_version)
            values (${referrer}, ${friend!.id}, ${status}::referral_status,
              date_trunc('day', now()) - make_interval(days => ${daysAgo}) + make_interval(hours => ${9 + k * 2}),
              case when ${status} = 'completed' then date_trunc('day', now()) - make_interval(days => ${daysAgo}) + make_interval(hours => ${9 + k * 2}, mins => 20) end,
              case when ${status} = 'rejected' then now() end,
              case when ${status} = 'rejected' then 'rejected_after_review' end,
              1, case when ${status} = 'pending' then null else 1 end)`;
          if (status === 'completed') {
            await sql`select quota_grant_apply(${referrer}, ${DEFAULT_PROGRAM.rewardReferrer}, 'referral_referrer', ${friend!.id}, null, 1),
              quota_grant_apply(${friend!.id}, ${DEFAULT_PROGRAM.rewardReferred}, 'referral_referred', ${friend!.id}, null, 1)`;
          }
        }
      }
      // The cap holds for the seeded referrers too.
      const [over] = await sql<{ n: number }[]>`select count(*)::int as n from (select referrer_id from referral
        where referrer_id = any(${referrers}) and status::text <> 'rejected' group by referrer_id having count(*) > ${DEFAULT_PROGRAM.maxReferralsPerReferrer}) x`;
      expect(over!.n).toBe(0);
    });
    const [day] = await db.$client<{ day: string }[]>`select to_char((now() at time zone 'UTC')::date - 5, 'YYYY-MM-DD') as day`;
    return { day: day!.day, landingViews: views[views.length - 5]!, signUps: signUps[signUps.length - 5]! };
  } finally {
    await closeDb(db);
  }
}

/** Any navigation would reset this marker: it proves a page was not reloaded. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
const marker = (page: Page) => page.evaluate(() => (window as unknown as { marker?: string }).marker);

test('a held referral is under review for both members; the operator approves it and both quotas change live', async ({ browser }) => {
  const referrer = await newMember(browser, 'Mary');
  await expect(referrer.page.getByTestId('live-status')).toHaveAttribute('data-state', 'live');
  await mark(referrer.page);

  // The friend signs up on the referrer's own device: same address, so the referral is held.
  const friend = await inviteFriend(browser, referrer, 'Marie', { sameDevice: true });
  await expect(friend.page.getByTestId('own-referral-status')).toContainText('under review');
  await expect(friend.page.getByTestId('quota')).toHaveText('1000');
  await expect(friend.page.getByTestId('live-status')).toHaveAttribute('data-state', 'live');
  await mark(friend.page);
  const row = referrer.page.getByRole('region', { name: 'People you invited' }).getByRole('row', { name: new RegExp(friend.who.name) });
  await expect(row).toContainText('Under review');
  await expect(referrer.page.getByTestId('quota')).toHaveText('1000');

  // The operator sees it in the review queue, with both people and the signal in words.
  const operator = await operatorPage(browser);
  const item = queueItem(operator.page, friend, referrer);
  await expect(item).toBeVisible();
  await expect(item).toContainText('same_ip');
  await expect(item).toContainText(SAME_IP_WORDS);
  await expect(item).toContainText(friend.who.email);
  await expect(item).toContainText(referrer.who.email);

  // A reason is required: without one the browser does not submit, and nothing changes.
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(item).toBeVisible();
  await item.getByLabel('Reason (for the audit log)').fill('Same household, checked with the member');
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(operator.page.getByRole('status').filter({ hasText: 'Approved.' })).toBeVisible();
  await expect(item).toHaveCount(0);

  // The audit log says who decided what, when and why.
  const entry = operator.page.getByTestId('audit-log').getByRole('row', { name: new RegExp(friend.who.name) });
  await expect(entry).toContainText('Approved');
  await expect(entry).toContainText(OPERATOR.email);
  await expect(entry).toContainText('Under review → Completed');
  await expect(entry).toContainText('Same household, checked with the member');

  // Both members' open pages show the new quota without a reload (the backend's quota-updated push).
  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await expect(row).toContainText('Completed');
  await expect(friend.page.getByTestId('quota')).toHaveText('1500');
  await expect(friend.page.getByTestId('own-referral-status')).toHaveCount(0);
  expect(await marker(referrer.page)).toBe('same page');
  expect(await marker(friend.page)).toBe('same page');

  // The friend (a member, not an operator) replays the page's revoke form: 404, nothing changes.
  const completedRow = operator.page.getByTestId('completed-referrals').getByRole('row', { name: new RegExp(friend.who.name) });
  // The action's id is in the server-rendered form (React drops the field once it has hydrated).
  const html = await (await operator.context.request.get('/admin/referrals')).text();
  const actionField = /<form class="revoke-form"[^>]*><input type="hidden" name="(\$ACTION_ID_[0-9a-f]+)"/.exec(html)?.[1];
  const referralId = await completedRow.locator('input[name="referralId"]').inputValue();
  expect(actionField).toBeTruthy();
  const baseURL = new URL(operator.page.url()).origin;
  const replay = await friend.context.request.post('/admin/referrals', {
    headers: { origin: baseURL },
    multipart: { [actionField!]: '', referralId, reason: 'let me in' },
    maxRedirects: 0,
  });
  expect(replay.status()).toBe(404);
  // The same request from another site changes nothing either, even with the operator's cookies.
  await operator.context.request.post('/admin/referrals', {
    headers: { origin: 'https://evil.example' },
    multipart: { [actionField!]: '', referralId, reason: 'forged' },
    maxRedirects: 0,
  });
  await operator.page.reload();
  await expect(operator.page.getByTestId('completed-referrals')).toContainText(friend.who.name);
  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await expect(friend.page.getByTestId('quota')).toHaveText('1500');

  // The control: the very same request from the operator, same origin, does revoke (so the two
  // above were refused for who and where they came from). The clawback reaches both pages live.
  const revoke = await operator.context.request.post('/admin/referrals', {
    headers: { origin: baseURL },
    multipart: { [actionField!]: '', referralId, reason: 'Replayed by the operator' },
    maxRedirects: 0,
  });
  expect(revoke.status()).toBe(303);
  await expect(referrer.page.getByTestId('quota')).toHaveText('1000');
  await expect(row).toContainText('Not credited');
  expect(await marker(referrer.page)).toBe('same page');
  await expect(friend.page.getByTestId('quota')).toHaveText('1000');
  expect(await marker(friend.page)).toBe('same page');
  await operator.page.reload();
  const revoked = operator.page.getByTestId('audit-log').getByRole('row', { name: /Replayed by the operator/ });
  await expect(revoked).toContainText('Revoked');
  await expect(revoked).toContainText('Completed → Not credited');
  await expect(operator.page.getByTestId('audit-log')).not.toContainText('let me in');
  await expect(operator.page.getByTestId('audit-log')).not.toContainText('forged');

  for (const c of [operator.context, friend.context, referrer.context]) await c.close();
});

test('a member who is not an operator, and a signed-out visitor, get 404 on /admin/referrals', async ({ browser }) => {
  const member = await newMember(browser, 'Nadia');
  const asMember = await member.page.goto('/admin/referrals');
  expect(asMember?.status()).toBe(404);
  await expect(member.page.getByText('Referral operations')).toHaveCount(0);
  await expect(member.page.getByText('Review queue')).toHaveCount(0);
  expect(await member.page.title()).not.toContain('Referral operations');

  const anonymous = await visitorContext(browser);
  const page = await anonymous.newPage();
  const signedOut = await page.goto('/admin/referrals');
  expect(signedOut?.status()).toBe(404);
  await expect(page.getByText('Review queue')).toHaveCount(0);
  // Not a redirect to sign-in either: that would say the page exists.
  expect(new URL(page.url()).pathname).toBe('/admin/referrals');

  await anonymous.close();
  await member.context.close();
});

test('the operator page, for the docs: funnel, queue, top referrers, completed, audit log, webhooks', async ({ browser }) => {
  // Seven people sign up in their own browsers and an operator decides twice: longer than one flow.
  test.setTimeout(150_000);
  const seeded = await seedTwoWeeks();
  const ada = await newMember(browser, 'Ada');
  const linus = await newMember(browser, 'Linus');
  const friends = [
    await inviteFriend(browser, ada, 'Grace'),
    await inviteFriend(browser, ada, 'Hedy'),
    await inviteFriend(browser, linus, 'Radia'),
  ];
  const held = [await inviteFriend(browser, ada, 'Alan', { sameDevice: true }), await inviteFriend(browser, linus, 'Barbara', { sameDevice: true })];

  const operator = await operatorPage(browser);
  const rejected = queueItem(operator.page, held[1]!, linus);
  await rejected.getByLabel('Reason (for the audit log)').fill('Second account of the referrer');
  operator.page.once('dialog', (dialog) => void dialog.accept());
  await rejected.getByRole('button', { name: 'Reject' }).click();
  await expect(operator.page.getByRole('status').filter({ hasText: 'Rejected.' })).toBeVisible();
  await expect(rejected).toHaveCount(0);
  await operator.page.goto('/admin/referrals');

  // Revoke one completed referral from its row (a confirmation first).
  const completedRow = operator.page.getByTestId('completed-referrals').getByRole('row', { name: new RegExp(friends[1]!.who.name) });
  await completedRow.getByRole('textbox').fill('Duplicate account found later');
  operator.page.once('dialog', (dialog) => void dialog.accept());
  await completedRow.getByRole('button', { name: 'Revoke' }).click();
  await expect(operator.page.getByRole('status').filter({ hasText: 'Revoked.' })).toBeVisible();
  await expect(completedRow).toHaveCount(0);
  await friends[1]!.page.reload();
  await expect(friends[1]!.page.getByTestId('quota')).toHaveText('1000');
  await operator.page.goto('/admin/referrals');

  await expect(queueItem(operator.page, held[0]!, ada)).toContainText(SAME_IP_WORDS);
  await expect(operator.page.getByTestId('funnel-chart')).toBeVisible();
  const chart = operator.page.getByRole('img', { name: 'Referral funnel per day' });
  await expect(chart).toBeVisible();
  // The numbers behind the chart, for a seeded day (today also has the sign-ups of other tests).
  await operator.page.getByText('Numbers per day').click();
  const cells = operator.page.getByTestId('funnel-table').getByRole('row', { name: new RegExp(seeded.day) }).getByRole('cell');
  await expect(cells.nth(0)).toHaveText(String(seeded.landingViews));
  await expect(cells.nth(1)).toHaveText(String(seeded.signUps));
  await operator.page.getByText('Numbers per day').click();
  await expect(operator.page.getByTestId('audit-log')).toContainText('Second account of the referrer');
  await screenshots(operator.page, 'admin');

  for (const m of [operator, ...friends, ...held, ada, linus]) await m.context.close();
});

test('an operator deletes a member\'s account on request: audited, the member signed out for good, the referral kept', async ({ browser }) => {
  const referrer = await newMember(browser, 'Greta');
  const friend = await inviteFriend(browser, referrer, 'Hugo');
  const operator = await operatorPage(browser);

  const section = () => operator.page.getByRole('region', { name: 'Delete an account' });
  // An address that is nobody's: nothing changes, and the page says so.
  await section().getByLabel("The member's e-mail address").fill('nobody-here@example.test');
  await section().getByLabel('Reason (for the audit log)').fill('Asked by e-mail');
  operator.page.once('dialog', (dialog) => void dialog.accept());
  await section().getByRole('button', { name: 'Delete the account' }).click();
  await expect(operator.page.getByRole('alert').filter({ hasText: 'There is no account with that e-mail address' })).toBeVisible();

  await section().getByLabel("The member's e-mail address").fill(friend.who.email);
  await section().getByLabel('Reason (for the audit log)').fill('Asked by e-mail, ticket 42');
  operator.page.once('dialog', (dialog) => void dialog.accept());
  await section().getByRole('button', { name: 'Delete the account' }).click();
  await expect(operator.page.getByRole('status').filter({ hasText: 'The account was deleted' })).toBeVisible();
  const row = operator.page.getByTestId('account-deletions').getByRole('row', { name: /ticket 42/ });
  await expect(row).toContainText(OPERATOR.email);

  // The member's open session opens nothing any more; the referrer keeps the referral and the bonus.
  await friend.page.goto('/referrals');
  await expect(friend.page).toHaveURL(/\/api\/auth\/signin/);
  await referrer.page.reload();
  await expect(referrer.page.getByTestId('quota')).toHaveText('1500');
  await expect(referrer.page.getByRole('region', { name: 'People you invited' })).toContainText('A friend');

  for (const c of [operator.context, friend.context, referrer.context]) await c.close();
});
