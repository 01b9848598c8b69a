/**
 * `pnpm bench`: redemption throughput against a baseline measured in the same
 * run on the same PostgreSQL server.
 *
 *   baseline  pgbench -c 16 -j 2 -T 10, built-in tpcb-like, scale 16
 *   ours      16 concurrent workers calling redeemReferralCode() for 10 s
 *
 * Prints redemptions/s, p50/p99 latency and the ratio to pgbench's TPS, then
 * checks the invariants (cap, one referral per user, exact quotas) on what
 * the run wrote. Uses DATABASE_URL, or the embedded PostgreSQL when unset,
 * and works in a throwaway database that it drops at the end.
 *
 * Env: BENCH_SECONDS (10), BENCH_CLIENTS (16), BENCH_SCALE (16), PGBENCH (path).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type postgres from 'postgres';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import { closeDb, createDb, createThrowawayDatabase, migrate, resolveDatabase, type Db } from '../src/db/index';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SCALE = Number(process.env.BENCH_SCALE ?? 16);
const HISTORY_MEMBERS = 20_000;

function findPgbench(): string | null {
  const candidates = [process.env.PGBENCH, 'pgbench', '/usr/lib/postgresql/15/bin/pgbench'].filter(
    (c): c is string => Boolean(c),
  );
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

function runPgbench(pgbench: string, url: string): number {
  console.log(`pgbench: initialising scale ${SCALE} ...`);
  execFileSync(pgbench, ['-i', '-q', '-s', String(SCALE), url], { stdio: 'ignore' });
  console.log(`pgbench: tpcb-like, ${CLIENTS} clients, ${SECONDS} s ...`);
  const out = execFileSync(pgbench, ['-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), url], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
  if (!tps?.[1]) throw new Error(`could not read pgbench's TPS from:\n${out}`);
  return Number(tps[1]);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Referrers and enough fresh friends that every redemption of the run can succeed. */
export async function seed(sql: postgres.Sql, friendsPerRun: number): Promise<string[]> {
  const friends = 2 * friendsPerRun;
  const referrers = 2 * Math.ceil(friendsPerRun / DEFAULT_PROGRAM.maxReferralsPerReferrer);
  // Every person signed up from a device of their own, as the web app records it (keyed
  // hashes of the address, network and browser): the fraud review sees strangers, as it
  // mostly does in production, rather than missing_address on everyone.
  await sql`
    insert into "user" (id, name, email, signup_ip_hash, signup_network_hash, signup_user_agent_hash)
    select 'referrer-' || i, 'Referrer ' || i, 'referrer-' || i || '@bench.test',
      'ip-referrer-' || i, 'net-referrer-' || i, 'agent-referrer-' || i
    from generate_series(1, ${referrers}) i`;
  // Half the friends finished onboarding already, so half the redemptions also finish: completed,
  // or held when a referrer's friends arrive faster than the velocity signal allows.
  await sql`
    insert into "user" (id, name, email, onboarded_at, signup_ip_hash, signup_network_hash, signup_user_agent_hash)
    select 'friend-' || i, 'Friend ' || i, 'friend-' || i || '@bench.test',
      case when i % 2 = 0 then now() end, 'ip-friend-' || i, 'net-friend-' || i, 'agent-friend-' || i
    from generate_series(1, ${friends}) i`;
  // A live program already has referrals: give the table history, so the
  // planner's statistics (and the cached plans) are those of a real database.
  await sql`
    insert into "user" (id, name, email)
    select 'member-' || i, 'Member ' || i, 'member-' || i || '@bench.test'
    from generate_series(1, ${HISTORY_MEMBERS}) i`;
  await sql`
    insert into referral (referrer_id, referred_id, status, completed_at, program_version, scored_program_version)
    select 'member-' || i, 'member-' || (i + 1), 'completed', now(), 1, 1
    from generate_series(1, ${HISTORY_MEMBERS} - 1, 2) i`;
  await sql`analyze`;
  const codes = await sql<{ referral_code: string }[]>`
    select referral_code from "user" where id like 'referrer-%'
    order by substring(id from 10)::int`;
  return codes.map((c) => c.referral_code);
}

export interface Invariants {
  over_cap: number;
  referred_twice: number;
  wrong_quota: number;
  /** Users whose quota is not DEFAULT_QUOTA + their quota_grant rows (docs/referral-rules.md, "The quota ledger"). */
  ledger_violations: number;
  completed: number;
  total: number;
}

export async function checkInvariants(sql: postgres.Sql): Promise<Invariants> {
  const [row] = await sql<Invariants[]>`
    select
      (select count(*)::int from (select referrer_id from referral where status::text <> 'rejected'
        group by referrer_id having count(*) > ${DEFAULT_PROGRAM.maxReferralsPerReferrer}) x) as over_cap,
      (select count(*)::int from (select referred_id from referral group by referred_id
        having count(*) > 1) x) as referred_twice,
      (select count(*)::int from "user" u where u.id not like 'member-%' and u.quota <> ${DEFAULT_QUOTA}
        + ${DEFAULT_PROGRAM.rewardReferrer} * (select count(*) from referral r
            where r.referrer_id = u.id and r.status = 'completed')::int
        + ${DEFAULT_PROGRAM.rewardReferred} * (select count(*) from referral r
            where r.referred_id = u.id and r.status = 'completed')::int
      ) as wrong_quota,
      (select count(*)::int from "user" u
        left join (select user_id, sum(amount) as total from quota_grant group by user_id) g on g.user_id = u.id
        where u.id not like 'member-%' and u.quota <> ${DEFAULT_QUOTA} + coalesce(g.total, 0)) as ledger_violations,
      (select count(*)::int from referral where status = 'completed' and referrer_id not like 'member-%') as completed,
      (select count(*)::int from referral where referrer_id not like 'member-%') as total`;
  return row!;
}


type Workload = 'spread' | 'hot';

interface RunFigures {
  workload: Workload;
  rate: number;
  count: number;
  p50: number;
  p99: number;
  failures: Record<string, number>;
  benchCpuShare: number;
}

/**
 * One timed run over its own half of the seeded friends and referrers.
 * `spread`: friend i redeems the code of referrer i mod N, so concurrent
 * redemptions mostly hit different referrers (everyday traffic). `hot`: five
 * friends in a row redeem one referrer's code, so the workers queue on that
 * referrer's lock (a link shared in a busy group chat).
 */
async function timedRun(db: Db, codes: string[], friendsPerRun: number, workload: Workload): Promise<RunFigures> {
  // The seed made two equal halves of referrers, one for each workload.
  const half = Math.floor(codes.length / 2);
  const friendOffset = workload === 'spread' ? 0 : friendsPerRun;
  const referrerOf = (n: number) =>
    workload === 'spread' ? n % half : half + Math.floor(n / DEFAULT_PROGRAM.maxReferralsPerReferrer);

  console.log(`redemptions (${workload}): ${CLIENTS} workers, ${SECONDS} s ...`);
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline && next < friendsPerRun) {
        const n = next++;
        const t0 = performance.now();
        const result = await redeemReferralCode({
          db,
          userId: `friend-${friendOffset + n + 1}`,
          input: codes[referrerOf(n)],
        });
        latencies.push(performance.now() - t0);
        if (!result.ok) failures[result.code] = (failures[result.code] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    workload,
    rate: latencies.length / elapsed,
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
    benchCpuShare: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

async function main() {
  const { url: serverUrl, embedded } = await resolveDatabase();
  const database = await createThrowawayDatabase(serverUrl, 'referrals_bench');
  const url = database.url;
  try {
    console.log(
      `PostgreSQL ${new URL(serverUrl).host} (${embedded ? 'embedded' : 'DATABASE_URL'}), database ${new URL(url).pathname.slice(1)}; ` +
        `${cpus().length} cores, node ${process.version}\n`,
    );
    const pgbench = findPgbench();
    if (!pgbench) console.log('pgbench: not found (install the PostgreSQL client tools or set PGBENCH); no baseline');
    const baselineTps = pgbench ? runPgbench(pgbench, url) : null;

    await migrate(url);
    const db = createDb(url, { max: CLIENTS });
    let runs: RunFigures[];
    let invariants: Invariants;
    try {
      // Enough fresh friends per run for twice the baseline's rate: no run runs out.
      const friendsPerRun = Math.max(20_000, Math.ceil((baselineTps ?? 2000) * SECONDS * 2));
      console.log(`redemptions: seeding ${2 * friendsPerRun} friends ...`);
      const codes = await seed(db.$client, friendsPerRun);
      // Open the pool's connections outside the measured window.
      await Promise.all(Array.from({ length: CLIENTS }, () => db.$client`select pg_sleep(0.01)`));
      runs = [await timedRun(db, codes, friendsPerRun, 'spread'), await timedRun(db, codes, friendsPerRun, 'hot')];
      invariants = await checkInvariants(db.$client);
    } finally {
      await closeDb(db);
    }

    const invariantsOk =
      invariants.over_cap === 0 && invariants.referred_twice === 0 && invariants.wrong_quota === 0 && invariants.ledger_violations === 0;
    const ratio = (rate: number) => (baselineTps === null ? 'n/a' : (rate / baselineTps).toFixed(2));
    console.log('\nresults');
    console.log(`  pgbench tpcb-like, ${CLIENTS} clients, scale ${SCALE}: ${baselineTps === null ? 'n/a' : baselineTps.toFixed(0)} TPS`);
    for (const run of runs) {
      console.log(`  redemptions, ${run.workload.padEnd(6)} ${run.rate.toFixed(0).padStart(6)}/s  ` +
        `p50 ${run.p50.toFixed(2)} ms  p99 ${run.p99.toFixed(2)} ms  ` +
        `ratio to pgbench ${ratio(run.rate)}  bench CPU ${(run.benchCpuShare * 100).toFixed(0)}% of a core  ` +
        `failures ${JSON.stringify(run.failures)}`);
    }
    console.log(`  target: spread ratio >= 0.8`);
    console.log(
      `  invariants: ${invariantsOk ? 'ok' : 'VIOLATED'} (${invariants.total} referrals, ${invariants.completed} completed, ` +
        `${invariants.over_cap} over cap, ${invariants.referred_twice} referred twice, ${invariants.wrong_quota} wrong quotas, ${invariants.ledger_violations} off the ledger)`,
    );
    if (!invariantsOk || runs.some((r) => Object.keys(r.failures).length > 0)) process.exitCode = 1;
  } finally {
    await database.drop();
    await embedded?.stop();
  }
}

// Run when started as a script; web/bench/http-load.ts imports the seeding and checks.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
