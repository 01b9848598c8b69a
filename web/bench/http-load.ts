/**
 * `pnpm bench` (web part 2): the HTTP API under load, beside the domain's own
 * throughput measured in the same run on the same database.
 *
 *   domain  USERS virtual users in this process call redeemReferralCode() and
 *           getReferralSummary() (what the routes call) through a pool of
 *           WEB_POOL connections (the web server's pool), for SECONDS
 *   http    the production web server on the same database; USERS virtual users over at
 *           most CONNECTIONS keep-alive sockets (loopback) send
 *           POST /api/referrals and GET /api/referrals, for SECONDS
 *   api     the same server, the same workload through the server API with an API key:
 *           POST /api/v1/members/{externalId}/redeem and GET /api/v1/members/{externalId}
 *
 * Every virtual user loops: redeem a referrer's code as a fresh friend, read
 * as that friend (their quota), read as the referrer (their referrals):
 * 1 redeem : 2 reads, in both runs, so the ratio of redeems/s is the cost of
 * the HTTP layer (Next.js, next-auth, JSON), not of a different workload.
 * Every redemption is a real one that succeeds (the seeding of the domain
 * bench: fresh friends, half of them onboarded, referrers with free places,
 * 10,000 rows of referral history).
 *
 * Prints requests/s, p50/p99 per kind, statuses, the ratios of HTTP and API redeems/s
 * to domain redeems/s (target >= 0.5: printed as met or missed, the machine is
 * shared), then checks the invariants on what both runs wrote. Exits non-zero
 * on any 5xx, network error, or invariant violation.
 *
 * Needs a web build (`pnpm --filter @app/web build`; NEXT_DIST_DIR is honoured).
 * Env: BENCH_HTTP_SECONDS (else BENCH_SECONDS, else 30), BENCH_HTTP_USERS
 * (1000; 100 for runs shorter than 10 s, the CI smoke), BENCH_HTTP_CONNECTIONS (100).
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createApiKey, HTTP_STATUS_BY_ERROR_CODE, getReferralSummary, redeemReferralCode } from '@app/common';
import { API_KEY_MAX_RATE_LIMIT_PER_MINUTE, DEFAULT_PROGRAM, DEFAULT_QUOTA } from '@app/common/constants';
import { closeDb, createDb, type Db } from '@app/common/db';
import { setUpTestDatabase } from '@app/common/testing/database';
import { startWeb, type RunningServer } from '@app/common/testing/processes';
import { encode } from 'next-auth/jwt';
import { checkInvariants, percentile, seed } from '../../common/bench/redeem';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? process.env.BENCH_SECONDS ?? 30);
const USERS = Number(process.env.BENCH_HTTP_USERS ?? (SECONDS < 10 ? 100 : 1000));
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 100);
/** The web server's pool: getDb() opens createDb()'s default of 10 connections. */
const WEB_POOL = 10;
const TARGET_RATIO = 0.5;
/** Fresh friends seeded per run, per second: above any redeem rate seen on a 2-core machine. */
const SEED_REDEEMS_PER_SECOND = 4000;
const SECRET = 'http-load-bench-secret-0123456789';
const WARM_UP_SECONDS = Math.min(3, Math.max(1, SECONDS / 10));
/** Well-formed and nobody's: redeeming it runs the whole path and writes nothing (code_not_found). */
const UNKNOWN_CODE = 'ref-00000000-0000-4000-8000-000000000000';

type Kind = 'redeem' | 'read';

interface Outcome {
  status: number;
  /** The referral's status of a 200 redeem answer. */
  referralStatus?: string;
  /** HTTP only: from getting a connection to the last byte of the answer (no wait for a free connection). */
  wireMs?: number;
}

/** One redemption the run saw succeed: checked against its row at the end. */
interface Redeemed {
  friendId: string;
  referrerId: string;
  status: string;
}

interface RunFigures {
  label: string;
  /** Requests finished within the timed window, per second. */
  rate: Record<Kind, number>;
  latencies: Record<Kind, number[]>;
  /** HTTP only: time on a connection, all requests. */
  wire: number[];
  statuses: Record<Kind, Record<number, number>>;
  networkErrors: number;
  redeemed: Redeemed[];
  /** Friends handed out (the run's friends are 1..used of its half). */
  used: number;
  ranOut: boolean;
  benchCpuShare: number;
  serverCpuShare: number | null;
}

/** The seeded population of one run: friend n (0-based) redeems the code of referrer referrerOf(n). */
interface Population {
  friendOffset: number;
  referrerOffset: number;
  friends: number;
  referrers: number;
  codes: string[];
}

const friendId = (p: Population, n: number) => `friend-${p.friendOffset + n + 1}`;
const referrerIndex = (p: Population, n: number) => p.referrerOffset + (n % p.referrers);
const referrerId = (p: Population, n: number) => `referrer-${referrerIndex(p, n) + 1}`;

/** CPU seconds used so far by a process and its descendants (Linux /proc), or null elsewhere. */
function treeCpuSeconds(root: number): number | null {
  try {
    const stats = new Map<number, { ppid: number; ticks: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
      } catch {
        // the process ended meanwhile
      }
    }
    let ticks = 0;
    const queue = [root];
    while (queue.length > 0) {
      const pid = queue.pop()!;
      ticks += stats.get(pid)?.ticks ?? 0;
      for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/**
 * Runs USERS virtual users for SECONDS, each looping redeem, read as the
 * friend, read as the referrer. `redeem` and `read` perform one request each.
 */
async function loadRun(
  label: string,
  population: Population,
  redeem: (n: number) => Promise<Outcome>,
  read: (userId: string, n: number) => Promise<Outcome>,
  serverPid: number | null,
): Promise<RunFigures> {
  console.log(`${label}: ${USERS} virtual users, ${SECONDS} s ...`);
  const latencies: Record<Kind, number[]> = { redeem: [], read: [] };
  const wire: number[] = [];
  const done: Record<Kind, number> = { redeem: 0, read: 0 };
  const statuses: Record<Kind, Record<number, number>> = { redeem: {}, read: {} };
  const redeemed: Redeemed[] = [];
  let networkErrors = 0;
  let next = 0;
  let ranOut = false;
  const cpuBefore = process.cpuUsage();
  const serverBefore = serverPid === null ? null : treeCpuSeconds(serverPid);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;

  const timed = async (kind: Kind, call: () => Promise<Outcome>): Promise<Outcome | null> => {
    const t0 = performance.now();
    try {
      const outcome = await call();
      const t1 = performance.now();
      latencies[kind].push(t1 - t0);
      if (outcome.wireMs !== undefined) wire.push(outcome.wireMs);
      if (t1 <= deadline) done[kind]++;
      statuses[kind][outcome.status] = (statuses[kind][outcome.status] ?? 0) + 1;
      return outcome;
    } catch (error) {
      if (networkErrors++ === 0) console.log(`  first network error: ${String(error)}`);
      return null;
    }
  };

  await Promise.all(
    Array.from({ length: USERS }, async () => {
      while (performance.now() < deadline) {
        if (next >= population.friends) {
          ranOut = true;
          return;
        }
        const n = next++;
        const outcome = await timed('redeem', () => redeem(n));
        if (outcome?.status === 200) {
          redeemed.push({ friendId: friendId(population, n), referrerId: referrerId(population, n), status: outcome.referralStatus ?? '' });
        }
        if (performance.now() >= deadline) break;
        await timed('read', () => read(friendId(population, n), n));
        if (performance.now() >= deadline) break;
        await timed('read', () => read(referrerId(population, n), n));
      }
    }),
  );

  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = (performance.now() - started) / 1000;
  const serverAfter = serverPid === null ? null : treeCpuSeconds(serverPid);
  for (const list of [...Object.values(latencies), wire]) list.sort((a, b) => a - b);
  return {
    label,
    rate: { redeem: done.redeem / SECONDS, read: done.read / SECONDS },
    latencies,
    wire,
    statuses,
    networkErrors,
    redeemed,
    used: next,
    ranOut,
    benchCpuShare: (cpu.user + cpu.system) / 1e6 / elapsed,
    serverCpuShare: serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / elapsed,
  };
}

/** USERS loops of `call` (a read and a redeem that writes nothing) for WARM_UP_SECONDS, unmeasured. */
async function warmUp(label: string, call: () => Promise<unknown>): Promise<void> {
  console.log(`${label}: warming up for ${WARM_UP_SECONDS} s ...`);
  const deadline = performance.now() + WARM_UP_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: USERS }, async () => {
      while (performance.now() < deadline) await call();
    }),
  );
}

/** Sessions open on this database (including this one's). */
async function sessionCount(sql: Db['$client']): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from pg_stat_activity where datname = current_database()`;
  return row!.count;
}

/** A session cookie per user id, minted ahead of the timed window where possible. */
class Cookies {
  private readonly minted = new Map<string, string>();
  mintedDuringRun = 0;
  private running = false;

  private static async mint(userId: string): Promise<string> {
    const token = await encode({ token: { sub: userId, name: userId }, secret: SECRET });
    return `next-auth.session-token=${token}`;
  }

  async prepare(userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += 500) {
      const batch = userIds.slice(i, i + 500);
      const cookies = await Promise.all(batch.map((id) => Cookies.mint(id)));
      batch.forEach((id, j) => this.minted.set(id, cookies[j]!));
    }
    this.running = true;
  }

  async get(userId: string): Promise<string> {
    const cookie = this.minted.get(userId);
    if (cookie) return cookie;
    if (this.running) this.mintedDuringRun++;
    const fresh = await Cookies.mint(userId);
    this.minted.set(userId, fresh);
    return fresh;
  }
}

/** One HTTP request over the bounded keep-alive agent; resolves with the status and the parsed JSON body. */
function send(
  agent: http.Agent,
  server: RunningServer,
  method: 'GET' | 'POST',
  path: string,
  credential: { cookie: string } | { apiKey: string },
  body?: unknown,
): Promise<{ status: number; json: unknown; wireMs: number }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = 'cookie' in credential ? { cookie: credential.cookie } : { authorization: `Bearer ${credential.apiKey}` };
    let payload: Buffer | undefined;
    if (body !== undefined) {
      payload = Buffer.from(JSON.stringify(body));
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
      headers.origin = server.base;
    }
    let onConnection = 0;
    const request = http.request({ agent, host: 'localhost', port: server.port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        let json: unknown = null;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          // not JSON: the status says what happened
        }
        resolve({ status: response.statusCode ?? 0, json, wireMs: performance.now() - onConnection });
      });
    });
    request.setTimeout(60_000, () => request.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    request.once('socket', () => (onConnection = performance.now()));
    request.on('error', reject);
    request.end(payload);
  });
}

interface RowChecks {
  /** 200 answers without their referral row (same referrer, same status). */
  missing_rows: number;
  /** Referral rows of the run's friends that no 200 answer announced. */
  unannounced_rows: number;
}

async function checkRun(sql: Db['$client'], run: RunFigures, population: Population): Promise<RowChecks> {
  const friends = run.redeemed.map((r) => r.friendId);
  const referrers = run.redeemed.map((r) => r.referrerId);
  const statuses = run.redeemed.map((r) => r.status);
  const [row] = await sql<RowChecks[]>`
    select
      (select count(*)::int
        from unnest(${sql.array(friends)}::text[], ${sql.array(referrers)}::text[], ${sql.array(statuses)}::text[])
          as answer(friend_id, referrer_id, status)
        where not exists (select 1 from referral r where r.referred_id = answer.friend_id
          and r.referrer_id = answer.referrer_id and r.status::text = answer.status)) as missing_rows,
      (select count(*)::int from referral r
        where r.referred_id like 'friend-%'
          and substring(r.referred_id from 8)::int between ${population.friendOffset + 1} and ${population.friendOffset + population.friends}
      ) - ${run.redeemed.length} as unannounced_rows`;
  return row!;
}

/** The ledger-free form of the quota invariant: sum of quotas = 1000 x users + 1000 x completed referrals. */
async function checkQuotaSum(sql: Db['$client']): Promise<{ quota_sum: number; expected: number }> {
  const [row] = await sql<{ quota_sum: number; expected: number }[]>`
    select
      (select coalesce(sum(quota), 0)::float8 from "user" where id not like 'member-%') as quota_sum,
      (select count(*)::float8 * ${DEFAULT_QUOTA} from "user" where id not like 'member-%')
        + (select count(*)::float8 * ${DEFAULT_PROGRAM.rewardReferrer + DEFAULT_PROGRAM.rewardReferred} from referral
            where status = 'completed' and referrer_id not like 'member-%') as expected`;
  return row!;
}

function statusLine(statuses: Record<number, number>): string {
  return Object.entries(statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
}

async function main() {
  const database = await setUpTestDatabase('http-load');
  let server: RunningServer | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const db = createDb(database.url, { max: WEB_POOL });
  try {
    console.log(`${cpus().length} cores, node ${process.version}; ${USERS} virtual users, ${SECONDS} s per run\n`);
    const friendsPerRun = Math.max(5_000, SEED_REDEEMS_PER_SECOND * SECONDS);
    console.log(`seeding ${3 * friendsPerRun} friends ...`);
    // seed() makes two equal halves of what it is asked for: asked for one and a half runs, it makes
    // three thirds of friends and of referrers: the domain run takes the first, HTTP the second, the server API the third.
    const codes = await seed(db.$client, Math.ceil(friendsPerRun * 1.5));
    const third = Math.floor(codes.length / 3);
    const population = (i: number): Population => ({
      friendOffset: i * friendsPerRun,
      referrerOffset: i * third,
      friends: friendsPerRun,
      referrers: third,
      codes,
    });
    const [domain, web, server_] = [population(0), population(1), population(2)];
    // The server API's members are the same people, known by an externalId (here: their id).
    await db.$client`update "user" set external_id = id where id like 'friend-%' or id like 'referrer-%'`;
    const apiKey = await createApiKey({
      db,
      input: { name: 'bench', scopes: ['read', 'write'], rateLimitPerMinute: API_KEY_MAX_RATE_LIMIT_PER_MINUTE },
      actor: { id: null, email: 'bench@example.test' },
    });
    if (!apiKey.ok) throw new Error(apiKey.message);

    // 1. The domain itself, through a pool the size of the web server's.
    const appUrl = 'http://localhost:3000';
    await Promise.all(Array.from({ length: WEB_POOL }, () => db.$client`select pg_sleep(0.01)`));
    await warmUp('domain', () =>
      Promise.all([
        getReferralSummary({ db, userId: referrerId(domain, 0), appUrl }),
        redeemReferralCode({ db, userId: referrerId(domain, 0), input: UNKNOWN_CODE }),
      ]),
    );
    const domainRun = await loadRun(
      'domain',
      domain,
      async (n) => {
        const result = await redeemReferralCode({ db, userId: friendId(domain, n), input: codes[referrerIndex(domain, n)] });
        return result.ok ? { status: 200, referralStatus: result.status } : { status: HTTP_STATUS_BY_ERROR_CODE[result.code] };
      },
      async (userId) => {
        const result = await getReferralSummary({ db, userId, appUrl });
        return { status: result.ok ? 200 : HTTP_STATUS_BY_ERROR_CODE[result.code] };
      },
      null,
    );

    // 2. The same over HTTP: cookies for the friends (and their referrers) it will likely reach, minted beforehand.
    const expected = Math.min(friendsPerRun, Math.ceil(domainRun.rate.redeem * SECONDS * 0.5) + USERS);
    const cookies = new Cookies();
    const ids = new Set<string>();
    for (let n = 0; n < expected; n++) ids.add(friendId(web, n)).add(referrerId(web, n));
    console.log(`minting ${ids.size} session cookies ...`);
    await cookies.prepare([...ids]);

    const connections = await sessionCount(db.$client);
    server = await startWeb({ DATABASE_URL: database.url, AUTH_SECRET: SECRET });
    const running = server;
    // Warm up: load the route modules, open the server's pool, let the JIT settle.
    const warmCookie = await cookies.get(referrerId(web, 0));
    await warmUp('http', () =>
      Promise.all([
        send(agent, running, 'GET', '/api/referrals', { cookie: warmCookie }),
        send(agent, running, 'POST', '/api/referrals', { cookie: warmCookie }, { referralCode: UNKNOWN_CODE }),
      ]),
    );
    const httpRun = await loadRun(
      'http',
      web,
      async (n) => {
        const cookie = await cookies.get(friendId(web, n));
        const answer = await send(agent, running, 'POST', '/api/referrals', { cookie }, { referralCode: codes[referrerIndex(web, n)] });
        const referralStatus = (answer.json as { status?: unknown } | null)?.status;
        return {
          status: answer.status,
          referralStatus: typeof referralStatus === 'string' ? referralStatus : undefined,
          wireMs: answer.wireMs,
        };
      },
      async (userId) => {
        const answer = await send(agent, running, 'GET', '/api/referrals', { cookie: await cookies.get(userId) });
        return { status: answer.status, wireMs: answer.wireMs };
      },
      running.child.pid ?? null,
    );
    const serverConnections = (await sessionCount(db.$client)) - connections;

    // 3. The server API (/api/v1, an API key instead of a session) on the same server, the same workload.
    const credential = { apiKey: apiKey.key };
    await warmUp('api', () =>
      Promise.all([
        send(agent, running, 'GET', `/api/v1/members/${referrerId(server_, 0)}`, credential),
        send(agent, running, 'POST', `/api/v1/members/${referrerId(server_, 0)}/redeem`, credential, { referralCode: UNKNOWN_CODE }),
      ]),
    );
    const apiRun = await loadRun(
      'api',
      server_,
      async (n) => {
        const answer = await send(agent, running, 'POST', `/api/v1/members/${friendId(server_, n)}/redeem`, credential, {
          referralCode: codes[referrerIndex(server_, n)],
        });
        const referralStatus = (answer.json as { status?: unknown } | null)?.status;
        return { status: answer.status, referralStatus: typeof referralStatus === 'string' ? referralStatus : undefined, wireMs: answer.wireMs };
      },
      async (userId) => {
        const answer = await send(agent, running, 'GET', `/api/v1/members/${userId}`, credential);
        return { status: answer.status, wireMs: answer.wireMs };
      },
      running.child.pid ?? null,
    );

    // 3. Invariants over everything both runs wrote.
    const invariants = await checkInvariants(db.$client);
    const quotaSum = await checkQuotaSum(db.$client);
    const rows = {
      domain: await checkRun(db.$client, domainRun, domain),
      http: await checkRun(db.$client, httpRun, web),
      api: await checkRun(db.$client, apiRun, server_),
    };

    const ms = (list: number[], p: number) => `${percentile(list, p).toFixed(1)} ms`;
    const fivexx = (run: RunFigures) =>
      Object.values(run.statuses)
        .flatMap((byStatus) => Object.entries(byStatus))
        .filter(([status]) => Number(status) >= 500)
        .reduce((sum, [, count]) => sum + count, 0);
    console.log('\nresults (1 redeem : 2 reads per virtual user; rates count requests finished within the window)');
    for (const run of [domainRun, httpRun, apiRun]) {
      const total = run.rate.redeem + run.rate.read;
      console.log(
        `  ${run.label.padEnd(6)} ${total.toFixed(0).padStart(6)} requests/s  ` +
          `redeems ${run.rate.redeem.toFixed(0)}/s (p50 ${ms(run.latencies.redeem, 50)}, p99 ${ms(run.latencies.redeem, 99)})  ` +
          `reads ${run.rate.read.toFixed(0)}/s (p50 ${ms(run.latencies.read, 50)}, p99 ${ms(run.latencies.read, 99)})  ` +
          `bench CPU ${(run.benchCpuShare * 100).toFixed(0)}% of a core` +
          (run.serverCpuShare === null ? '' : `, server CPU ${(run.serverCpuShare * 100).toFixed(0)}%`),
      );
      const all = [...run.latencies.redeem, ...run.latencies.read].sort((a, b) => a - b);
      console.log(
        `         all requests p50 ${ms(all, 50)}, p99 ${ms(all, 99)}; ` +
          `redeem statuses {${statusLine(run.statuses.redeem)}}, read statuses {${statusLine(run.statuses.read)}}` +
          (run.label === 'domain' ? ' (the statuses the API would answer)' : '') +
          (run.networkErrors > 0 ? `; ${run.networkErrors} network errors` : '') +
          (run.ranOut ? `; RAN OUT of seeded friends after ${run.used}` : ''),
      );
      if (run.wire.length > 0) {
        console.log(`         on a connection (server and loopback, without the wait for a free connection): p50 ${ms(run.wire, 50)}, p99 ${ms(run.wire, 99)}`);
      }
    }
    const ratio = httpRun.rate.redeem / domainRun.rate.redeem;
    const apiRatio = apiRun.rate.redeem / domainRun.rate.redeem;
    const serverErrors = fivexx(httpRun) + fivexx(apiRun);
    console.log(
      `  http: ${CONNECTIONS} keep-alive connections at most; the server used ${serverConnections} database connections; ` +
        `${cookies.mintedDuringRun} cookies minted during the run`,
    );
    console.log(`  5xx answers: ${serverErrors}`);
    console.log(
      `  HTTP redeems/s / domain redeems/s: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'missed'})`,
    );
    const domainFailures = Object.values(domainRun.statuses).some((byStatus) => Object.keys(byStatus).some((s) => s !== '200'));
    const problems = [
      invariants.over_cap > 0 && `${invariants.over_cap} referrers over the cap`,
      invariants.referred_twice > 0 && `${invariants.referred_twice} users referred twice`,
      invariants.wrong_quota > 0 && `${invariants.wrong_quota} wrong quotas`,
      invariants.ledger_violations > 0 && `${invariants.ledger_violations} quotas off the ledger`,
      quotaSum.quota_sum !== quotaSum.expected && `sum of quotas ${quotaSum.quota_sum}, expected ${quotaSum.expected}`,
      ...Object.entries(rows).flatMap(([label, r]) => [
        r.missing_rows > 0 && `${label}: ${r.missing_rows} successful redeems without their row`,
        r.unannounced_rows !== 0 && `${label}: ${r.unannounced_rows} rows without a successful answer`,
      ]),
    ].filter((p): p is string => typeof p === 'string');
    console.log(
      `  invariants: ${problems.length === 0 ? 'ok' : `VIOLATED (${problems.join('; ')})`} ` +
        `(${invariants.total} referrals, ${invariants.completed} completed; sum of quotas ${quotaSum.quota_sum}; ` +
        `every 200 redeem has its row)`,
    );
    console.log(`  API redeems/s / domain redeems/s: ${apiRatio.toFixed(2)} (the server API, /api/v1 with an API key; no target yet)`);
    if (serverErrors > 0 || httpRun.networkErrors > 0 || apiRun.networkErrors > 0 || domainFailures || problems.length > 0) process.exitCode = 1;
  } finally {
    agent.destroy();
    await server?.stop();
    await closeDb(db);
    await database.teardown();
  }
}

await main();
