/**
 * `pnpm bench` (backend, webhooks), each figure beside a baseline from the same run:
 *  1. delivery throughput: events/s from the outbox to a loopback receiver
 *     (it checks every signature, as a real one does), with one and with two
 *     backend processes, vs the same receiver's rate for plain signed POSTs
 *     from one process with as many requests in flight (no database; run
 *     before and after, the higher one counts);
 *  2. latency from a committed redemption to its `referral.created` request
 *     at the receiver, p50/p99, with the backend idle.
 * Exits non-zero if an event arrived twice, or its outbox row disagrees with the receiver.
 * Env: BENCH_SECONDS (10), BENCH_WEBHOOK_LATENCY_SAMPLES (200).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { redeemReferralCode } from '@app/common';
import { closeDb, createDb } from '@app/common/db';
import { createUser, createUsers } from '@app/common/testing';
import { freePort, setUpTestDatabase } from '@app/common/testing/database';
import { startProcess, type ServerProcess } from '@app/common/testing/processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LATENCY_SAMPLES = Number(process.env.BENCH_WEBHOOK_LATENCY_SAMPLES ?? 200);
const BATCH_SIZE = 50;
// Enough events that the backends are still busy when the window closes (if not, the rate is taken until the last one).
const BACKLOG = Math.max(5_000, SECONDS * 5_000);
const SECRET = 'webhook-bench-secret-0123456789';
const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.resolve(backendDir, '../docs/examples/webhook-receiver.mjs');
type Verify = (options: { secret: string; headers: Record<string, string | string[] | undefined>; body: Buffer }) => { id: string; type: string };
const { verifyWebhook } = (await import(pathToFileURL(example).href)) as { verifyWebhook: Verify };

// The receiver: verifies, records when each event id arrived, answers 204.
const arrivals = new Map<string, number>();
let requests = 0;
let refused = 0;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    requests++;
    try {
      const event = verifyWebhook({ secret: SECRET, headers: req.headers, body: Buffer.concat(chunks) });
      if (!arrivals.has(event.id)) arrivals.set(event.id, performance.now());
      res.writeHead(204).end();
    } catch {
      refused++;
      res.writeHead(401).end();
    }
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;

function resetReceiver() {
  arrivals.clear();
  requests = 0;
  refused = 0;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const database = await setUpTestDatabase('webhook-bench');
const db = createDb(database.url, { max: 4 });
const running: ServerProcess[] = [];

async function startBackend(): Promise<ServerProcess> {
  const server = startProcess(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: backendDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      AUTH_SECRET: SECRET,
      BACKEND_PORT: String(await freePort()),
      BACKEND_HOST: '127.0.0.1',
      WEBHOOK_URLS: receiverUrl,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_BATCH_SIZE: String(BATCH_SIZE),
    },
  });
  running.push(server);
  await waitFor(() => server.output().includes('backend listening') || server.child.exitCode !== null, 60_000, 'backend start');
  if (server.child.exitCode !== null) throw new Error(`backend exited:\n${server.output()}`);
  return server;
}

/** Inserts `count` events with a real payload (one referral's), each of its own referral. */
async function insertBacklog(count: number, payload: unknown): Promise<string[]> {
  const rows = await db.$client<{ event_id: string }[]>`
    insert into webhook_event (type, referral_id, payload)
    select 'referral.created', 'bench-' || g || '-' || gen_random_uuid(), ${JSON.stringify(payload)}::jsonb
    from generate_series(1, ${count}) g
    returning event_id`;
  return rows.map((r) => r.event_id);
}

/** Delivers a few hundred events first, so the processes' code is compiled and their connections open. */
async function warmUp(payload: unknown) {
  const ids = await insertBacklog(500, payload);
  await waitFor(() => ids.every((id) => arrivals.has(id)), 60_000, 'warm-up');
  resetReceiver();
}

/** Events/s at the receiver over BENCH_SECONDS from the first arrival (or until the last, if the backlog ran out first). */
async function deliveryRate(ids: string[]): Promise<{ rate: number; delivered: number }> {
  const wanted = new Set(ids);
  await waitFor(() => arrivals.size > 0, 60_000, 'first delivery');
  const first = [...arrivals.values()].reduce((a, b) => Math.min(a, b), Infinity);
  const end = first + SECONDS * 1000;
  await waitFor(() => performance.now() >= end || arrivals.size >= wanted.size, SECONDS * 1000 + 60_000, 'window');
  const times = [...arrivals.entries()].filter(([id]) => wanted.has(id)).map(([, at]) => at);
  const inWindow = times.filter((t) => t <= end);
  const last = inWindow.reduce((a, b) => Math.max(a, b), first);
  const seconds = arrivals.size >= wanted.size ? (last - first) / 1000 : SECONDS;
  return { rate: inWindow.length / Math.max(seconds, 0.001), delivered: inWindow.length };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

let problems = 0;
try {
  // A real payload to copy: one referral's own event.
  const referrer = await createUser(db);
  const friend = await createUser(db, { onboardedAt: new Date() });
  await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
  const [sample] = await db.$client<{ payload: unknown; created_at: string }[]>`
    select payload, created_at::text from webhook_event where referral_id = ${friend.id} and type = 'referral.created'`;
  const sampleBody = JSON.stringify({ id: '__ID__', type: 'referral.created', createdAt: sample!.created_at, data: sample!.payload });
  await db.$client`update webhook_event set status = 'delivered' where status = 'pending'`;

  // 1a. Baseline: plain signed POSTs from one process, BATCH_SIZE in flight.
  // Run before and after the backends (this machine's load drifts); the higher counts.
  const baseline = async (): Promise<number> => {
    console.log(`baseline: signed POSTs from one process, ${BATCH_SIZE} in flight, ${SECONDS} s ...`);
    const client = startProcess(process.execPath, ['--import', 'tsx', 'bench/webhook-baseline-client.ts'], {
      cwd: backendDir,
      env: { ...process.env, URL: receiverUrl, SECRET, BODY: sampleBody, SECONDS: String(SECONDS), CONCURRENCY: String(BATCH_SIZE) },
    });
    running.push(client);
    if ((await client.exited) !== 0) throw new Error(`baseline client failed:\n${client.output()}`);
    const [, posted, took] = /posted (\d+) ([\d.]+)/.exec(client.output())!;
    resetReceiver();
    return Number(posted) / Number(took);
  };
  const baselineBefore = await baseline();

  // 2. Latency, one backend, idle: commit of a redemption → its request at the receiver.
  const one = await startBackend();
  console.log(`latency: ${LATENCY_SAMPLES} redemptions, one at a time ...`);
  const referrers = await createUsers(db, Math.ceil(LATENCY_SAMPLES / 3));
  const friends = await createUsers(db, LATENCY_SAMPLES);
  const latencies: number[] = [];
  for (const [i, f] of friends.entries()) {
    const result = await redeemReferralCode({ db, userId: f.id, input: referrers[Math.floor(i / 3)]!.referralCode });
    const committed = performance.now();
    if (!result.ok) throw new Error(`redemption failed: ${result.code}`);
    const [row] = await db.$client<{ event_id: string }[]>`select event_id from webhook_event where referral_id = ${f.id} order by id limit 1`;
    await waitFor(() => arrivals.has(row!.event_id), 10_000, 'latency sample');
    latencies.push(Math.max(0, arrivals.get(row!.event_id)! - committed));
  }
  latencies.sort((a, b) => a - b);

  // 1b. Throughput, one backend process.
  await warmUp(sample!.payload);
  console.log(`one backend process: ${BACKLOG} events in the outbox, ${SECONDS} s ...`);
  const oneIds = await insertBacklog(BACKLOG, sample!.payload);
  const single = await deliveryRate(oneIds);
  await one.stop();

  // 1c. Throughput, two backend processes on a fresh backlog.
  await db.$client`delete from webhook_event where status = 'pending'`;
  resetReceiver();
  const two = await Promise.all([startBackend(), startBackend()]);
  await warmUp(sample!.payload);
  console.log(`two backend processes: ${BACKLOG} events in the outbox, ${SECONDS} s ...`);
  const twoIds = await insertBacklog(BACKLOG, sample!.payload);
  const double = await deliveryRate(twoIds);
  // Exactly once: after both stopped (in-flight deliveries finished), every
  // request carried a distinct id, and the rows marked delivered are the ids that arrived.
  await Promise.all(two.map((b) => b.stop()));
  const duplicates = requests - refused - arrivals.size;
  const [marked] = await db.$client<{ count: number }[]>`
    select count(*)::int as count from webhook_event where status = 'delivered' and event_id = any(${[...arrivals.keys()]}::text[])`;
  const [extra] = await db.$client<{ count: number }[]>`
    select count(*)::int as count from webhook_event where status = 'delivered' and event_id = any(${twoIds}::text[])`;
  const mismatched = arrivals.size - marked!.count + (extra!.count - marked!.count);
  const arrived = arrivals.size;
  if (duplicates !== 0 || refused !== 0 || mismatched !== 0) problems++;

  const baselineAfter = await baseline();
  const baselineRate = Math.max(baselineBefore, baselineAfter);

  console.log('\nwebhook results');
  console.log(`  delivered events/s, 1 backend process   ${single.rate.toFixed(0)} (${single.delivered} events)`);
  console.log(`  delivered events/s, 2 backend processes ${double.rate.toFixed(0)} (${double.delivered} events)`);
  console.log(
    `  signed POSTs/s, no database             ${baselineRate.toFixed(0)} (baseline, same receiver, same run: ${baselineBefore.toFixed(0)} before, ${baselineAfter.toFixed(0)} after)`,
  );
  console.log(`  ratio                                   ${(single.rate / baselineRate).toFixed(2)} (1 process), ${(double.rate / baselineRate).toFixed(2)} (2 processes)`);
  console.log(
    `  latency, commit -> receiver             p50 ${percentile(latencies, 50).toFixed(2)} ms  p99 ${percentile(latencies, 99).toFixed(2)} ms (${latencies.length} events)`,
  );
  console.log(
    `  exactly once (2 processes)              ${arrived} events arrived: ${duplicates} twice, ${refused} refused signatures, ${mismatched} not matching the outbox`,
  );
} finally {
  await Promise.all(running.map((p) => p.stop()));
  await closeDb(db);
  await database.teardown();
  receiver.closeAllConnections();
  receiver.close();
}
if (problems > 0) {
  console.error('webhook bench: some event was not delivered exactly once');
  process.exit(1);
}
process.exit(0);
