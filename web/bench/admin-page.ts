/**
 * `pnpm bench` (web part 3): the operator page (/admin/referrals) on a large
 * program, rendered by the production web server, beside an empty page of
 * the same build (/bench-floor) in the same run.
 *
 *   data   BENCH_ADMIN_REFERRALS referrals (default 1,000,000; four per
 *          referrer, statuses as a real program has them, 90 days) and
 *          BENCH_ADMIN_VIEWS landing views (default 10,000,000: one row per
 *          visitor, code and day, with the per-day counts the page reads),
 *          written straight to a throwaway database with generate_series
 *   run    BENCH_ADMIN_RENDERS renders of each page, one at a time, by an
 *          operator's session
 *
 * Prints the seeding time, then p50/p95/max of each page and the operator
 * page's median over the floor's. With BENCH_SCALE below 16 (CI's short
 * run), the data shrinks in proportion.
 */
import { performance } from 'node:perf_hooks';
import { LANDING_TOTAL_SHARDS } from '@app/common/constants';
import { closeDb, createDb, type Db } from '@app/common/db';
import {
  ADMIN_FUNNEL_DAYS,
  getProgramOverview,
  getRecentAccountDeletions,
  getRecentCompletedReferrals,
  getRecentDecisions,
  getReferralFunnel,
  getReferralTotals,
  getReviewQueue,
  getTopReferrers,
  getWebhookDeliverySummary,
  refreshProgramOverview,
} from '@app/common/referrals';
import { setUpTestDatabase } from '@app/common/testing/database';
import { startWeb, type RunningServer } from '@app/common/testing/processes';
import { encode } from 'next-auth/jwt';

const SCALE = Number(process.env.BENCH_SCALE ?? 16) / 16;
const REFERRALS = Math.round(Number(process.env.BENCH_ADMIN_REFERRALS ?? 1_000_000) * Math.min(1, SCALE));
const VIEWS = Math.round(Number(process.env.BENCH_ADMIN_VIEWS ?? 10_000_000) * Math.min(1, SCALE));
const RENDERS = Number(process.env.BENCH_ADMIN_RENDERS ?? 20);
const SECRET = 'admin-page-bench-secret-0123456789';
const OPERATOR = 'bench-operator@example.test';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timeRenders(server: RunningServer, path: string, cookie: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RENDERS + 2; i++) {
    const started = performance.now();
    const response = await fetch(`${server.base}${path}`, { headers: { cookie } });
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${html.slice(0, 300)}`);
    // The first two warm the route up (modules, the pool, the JIT); they are not counted.
    if (i >= 2) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}


/** Writes the program straight to the database, as a restore would. */
async function seed(sql: Db['$client']) {
  const referrers = Math.ceil(REFERRALS / 4);
  console.log(`seeding ${REFERRALS.toLocaleString('en')} referrals (${referrers.toLocaleString('en')} referrers) and ${VIEWS.toLocaleString('en')} landing views ...`);
  const seeding = performance.now();
  const steps: string[] = [];
  const timed = async (label: string, query: PromiseLike<unknown>) => {
    const t = performance.now();
    await query;
    steps.push(`${label} ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  // Bulk load as a restore does: foreign-key triggers off for this session when the role may do so
  // (the rows are consistent by construction), keys built after the rows are in.
  await sql`set session_replication_role = replica`.catch(() => console.log('  (not a superuser: foreign keys checked row by row)'));
  // Referrer k has friends 4k-3 .. 4k. Friend i: 15% pending (never onboarded), 5% held, 10% rejected,
  // 70% completed, by i % 20; quotas are what the ledger below adds up to.
  const completed = (i: string) => `(${i}) % 20 >= 6`;
  await timed('referrers', sql.unsafe(`
    insert into "user" (id, name, email, onboarded_at, created_at, quota)
    select 'r' || k, 'Referrer ' || k, 'referrer-' || k || '@bench.test', now() - interval '100 days', now() - interval '100 days',
      1000 + 500 * (select count(*) from generate_series(4 * k - 3, 4 * k) j where ${completed('j')})
    from generate_series(1, ${referrers}) k`));
  await timed('friends', sql.unsafe(`
    insert into "user" (id, name, email, onboarded_at, created_at, quota)
    select 'f' || i, 'Friend ' || i, 'friend-' || i || '@bench.test',
      case when i % 20 < 3 then null else now() - (i % 90) * interval '1 day' end, now() - (i % 90) * interval '1 day',
      case when ${completed('i')} then 1500 else 1000 end
    from generate_series(1, ${REFERRALS}) i`));
  await timed('referrals', sql`
    insert into referral (referrer_id, referred_id, status, created_at, completed_at, risk_score, signals, decided_at, status_reason,
      program_version, scored_program_version)
    select 'r' || ((i - 1) / 4 + 1), 'f' || i, s.status::referral_status, now() - (i % 90) * interval '1 day',
      case when s.status = 'completed' then now() - (i % 90) * interval '1 day' + interval '5 minutes' end,
      case when s.status = 'held' then 100 else 0 end,
      case when s.status = 'held' then array['same_ip']::text[] else '{}'::text[] end,
      case when s.status = 'rejected' then now() - (i % 90) * interval '1 day' + interval '1 hour' end,
      case when s.status = 'rejected' then 'rejected_after_review' when s.status = 'held' then 'under_review' end,
      1, case when s.status <> 'pending' then 1 end
    from generate_series(1, ${REFERRALS}) i,
      lateral (select case when i % 20 < 3 then 'pending' when i % 20 = 3 then 'held' when i % 20 in (4, 5) then 'rejected' else 'completed' end as status) s`);
  await timed('ledger', sql`
    insert into quota_grant (user_id, amount, reason, referral_id, created_at, program_version)
    select u, 500, reason::quota_grant_reason, r.referred_id, r.completed_at, 1
    from referral r, lateral (values (r.referrer_id, 'referral_referrer'), (r.referred_id, 'referral_referred')) g(u, reason)
    where r.status = 'completed'`);
  // Landing views: each referrer's link is seen by about VIEWS / referrers distinct visitors, over five
  // days of the last 90 (a link is shared, then read for a few days), each visitor once a day; then the
  // counts the app keeps with them (per referrer and day; per day in LANDING_TOTAL_SHARDS shards).
  await timed('drop key', sql`alter table referral_landing_view drop constraint referral_landing_view_once_a_day`);
  await timed('views', sql`
    insert into referral_landing_view (referrer_id, day, visitor_hash)
    select 'r' || (i % ${referrers} + 1), (now() at time zone 'UTC')::date - ((i % ${referrers}) + (i / ${referrers}) % 5) % 90, md5('visitor' || i)
    from generate_series(1, ${VIEWS}) i`);
  await timed('key', sql`alter table referral_landing_view add constraint referral_landing_view_once_a_day primary key (referrer_id, day, visitor_hash)`);
  await timed('views per referrer', sql`
    insert into referral_landing_day (day, referrer_id, views)
    select day, referrer_id, count(*)::int from referral_landing_view group by 1, 2`);
  await timed('views per day', sql`
    insert into referral_landing_total (day, shard, views)
    select day, ascii(visitor_hash) % ${LANDING_TOTAL_SHARDS}, count(*) from referral_landing_view group by 1, 2`);
  await sql`set session_replication_role = origin`.catch(() => {});
  await timed('analyze', sql`vacuum analyze`);
  const seededSeconds = (performance.now() - seeding) / 1000;
  console.log(`seeded in ${seededSeconds.toFixed(0)} s (${steps.join(', ')})`);

}

async function main() {
  // BENCH_ADMIN_DATABASE_URL: a database this bench seeded before (kept with BENCH_ADMIN_KEEP=1): no seeding.
  const reuse = process.env.BENCH_ADMIN_DATABASE_URL;
  const database = reuse ? { url: reuse, teardown: async () => {} } : await setUpTestDatabase('admin-page-bench');
  // One connection, without the servers' statement_timeout: seeding millions of rows takes a while.
  const db = createDb(database.url, { max: 1 });
  const sql = db.$client;
  await sql`set statement_timeout = 0`;
  let server: RunningServer | null = null;
  try {
    if (!reuse) await seed(sql);
    const [operator] = await sql<{ id: string }[]>`
      insert into "user" (id, name, email, "emailVerified", onboarded_at) values (gen_random_uuid()::text, 'Bench Operator', ${OPERATOR}, now(), now())
      on conflict (email) do update set "emailVerified" = now() returning id`;

    // Where the page's time goes: each read model it renders, on its own (median of 5, after one warm-up).
    const readModels = {
      'all-time totals': () => getReferralTotals({ db }),
      funnel: () => getReferralFunnel({ db, days: ADMIN_FUNNEL_DAYS }),
      'review queue': () => getReviewQueue({ db, limit: 50 }),
      'all-time top referrers': () => getTopReferrers({ db, limit: 10 }),
      'the page\'s overview (snapshot)': () => getProgramOverview({ db }),
      'recently completed': () => getRecentCompletedReferrals({ db, limit: 20 }),
      'audit log': () => getRecentDecisions({ db, limit: 25 }),
      webhooks: () => getWebhookDeliverySummary({ db, limit: 10 }),
      deletions: () => getRecentAccountDeletions({ db, limit: 10 }),
    };
    const queryTimes: string[] = [];
    for (const [name, read] of Object.entries(readModels)) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        await read();
        if (i > 0) times.push(performance.now() - t);
      }
      queryTimes.push(`${name} ${percentile(times.sort((a, b) => a - b), 50).toFixed(0)} ms`);
    }
    console.log(`read models: ${queryTimes.join(', ')}`);
    // The page shows the all-time figures from a snapshot; this is what recounting it costs (after a response).
    const recount = performance.now();
    await refreshProgramOverview({ db });
    console.log(`the all-time figures, recounted (the page does it in the background once a minute while in use): ${(performance.now() - recount).toFixed(0)} ms`);

    server = await startWeb({ DATABASE_URL: database.url, AUTH_SECRET: SECRET, ADMIN_EMAILS: OPERATOR, ENABLE_BENCH_FLOOR_PAGE: '1' });
    const cookie = `next-auth.session-token=${await encode({ token: { sub: operator!.id, name: 'Bench Operator' }, secret: SECRET })}`;
    const floor = await timeRenders(server, '/bench-floor', cookie);
    const admin = await timeRenders(server, '/admin/referrals', cookie);
    const line = (label: string, t: number[]) =>
      `  ${label.padEnd(40)} p50 ${percentile(t, 50).toFixed(0).padStart(6)} ms  p95 ${percentile(t, 95).toFixed(0).padStart(6)} ms  max ${t.at(-1)!.toFixed(0).padStart(6)} ms`;
    console.log(`\nthe operator page, ${RENDERS} renders each (production build, one at a time)`);
    console.log(line('empty page (/bench-floor)', floor));
    console.log(line(`/admin/referrals (${(REFERRALS / 1e6).toFixed(2)}M referrals, ${(VIEWS / 1e6).toFixed(1)}M views)`, admin));
    console.log(`  operator page p50 / empty page p50: ${(percentile(admin, 50) / percentile(floor, 50)).toFixed(1)}`);
  } finally {
    await server?.stop();
    await closeDb(db);
    if (process.env.BENCH_ADMIN_KEEP) console.log(`kept the database: BENCH_ADMIN_DATABASE_URL=${database.url}`);
    else await database.teardown();
  }
}

await main();
