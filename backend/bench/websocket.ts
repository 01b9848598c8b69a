/**
 * `pnpm bench` (backend part), each figure beside a baseline from the same run:
 *  1. referral-code/validate round trips/s over 100 connections, vs a bare
 *     `ws` echo server on this machine (target ratio >= 0.5);
 *  2. push latency from a committed redemption to the referrer's socket, p50/p99;
 *  3. the backend's RSS with 10,000 idle authenticated connections (target < 250 MB),
 *     vs its RSS with none.
 * Env: BENCH_SECONDS (10), BENCH_WS_CONNECTIONS (100), BENCH_IDLE_CONNECTIONS (10000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createWsToken, redeemReferralCode } from '@app/common';
import { closeDb, createDb } from '@app/common/db';
import { createUser, createUsers } from '@app/common/testing';
import { freePort, setUpTestDatabase } from '@app/common/testing/database';
import WebSocket from 'ws';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_WS_CONNECTIONS ?? 100);
const IDLE = Number(process.env.BENCH_IDLE_CONNECTIONS ?? 10_000);
const SECRET = 'websocket-bench-secret-0123456789';
const ORIGIN = 'http://localhost:3000';
const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: backendDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += String(c)));
  child.stderr!.on('data', (c: Buffer) => (output += String(c)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready.test(output)) {
        clearInterval(timer);
        resolve({ child, output: () => output });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`process exited:\n${output}`));
      }
    }, 50);
  });
}

/** SIGTERM, and SIGKILL if the process has not exited 10 s later. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: ORIGIN, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Opens a socket and completes init; resolves once the server said ready. */
async function signedIn(url: string, userId: string): Promise<WebSocket> {
  const ws = await open(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('message', (data) => (JSON.parse(String(data)).type === 'ready' ? resolve() : reject(new Error(String(data)))));
    ws.send(JSON.stringify({ type: 'init', token: createWsToken({ userId, secret: SECRET, ttlSeconds: 600 }).token }));
  });
  return ws;
}

/** `CONNECTIONS` sockets, each sending its next message when the previous answer arrives. */
async function roundTrips(sockets: WebSocket[], message: (i: number) => string): Promise<number> {
  let count = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (ws, i) =>
        new Promise<void>((resolve) => {
          const onMessage = () => {
            count++;
            if (performance.now() < deadline) ws.send(message(i));
            else {
              ws.off('message', onMessage);
              resolve();
            }
          };
          ws.on('message', onMessage);
          ws.send(message(i));
        }),
    ),
  );
  return count / ((performance.now() - started) / 1000);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const database = await setUpTestDatabase('ws-bench');
const db = createDb(database.url, { max: 4 });
const processes: ChildProcess[] = [];
try {
  const referrer = await createUser(db, { name: 'Bench Referrer' });
  const users = await createUsers(db, CONNECTIONS);

  // 1a. Baseline: bare ws echo.
  const echo = await startProcess(['bench/echo-server.ts'], { ...process.env, PORT: String(await freePort()) }, /listening \d+/);
  processes.push(echo.child);
  const echoPort = Number(/listening (\d+)/.exec(echo.output())![1]);
  const echoSockets = await Promise.all(users.map(() => open(`ws://127.0.0.1:${echoPort}`)));
  const validateMessage = (i: number) =>
    JSON.stringify({ id: `v${i}`, type: 'action', action: { type: 'referral-code/validate', code: referrer.referralCode } });
  console.log(`echo baseline: ${CONNECTIONS} connections, ${SECONDS} s ...`);
  const echoRate = await roundTrips(echoSockets, validateMessage);
  for (const ws of echoSockets) ws.terminate();
  await stop(echo.child);

  // 1b. The backend.
  const port = await freePort();
  const backend = await startProcess(
    ['src/index.ts'],
    {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      AUTH_SECRET: SECRET,
      APP_URL: ORIGIN,
      BACKEND_PORT: String(port),
      BACKEND_HOST: '127.0.0.1',
      // The bench measures throughput, not the per-connection flood limit.
      WS_RATE_LIMIT_PER_SECOND: '100000',
      WS_RATE_LIMIT_BURST: '100000',
    },
    /backend listening/,
  );
  processes.push(backend.child);
  const url = `ws://127.0.0.1:${port}/ws`;
  const rssEmpty = rssMb(backend.child.pid!);
  const sockets = await Promise.all(users.map((u) => signedIn(url, u.id)));
  console.log(`backend validate: ${CONNECTIONS} connections, ${SECONDS} s ...`);
  const validateRate = await roundTrips(sockets, validateMessage);

  // 2. Push latency: a redemption committed here (as web would) to the referrer's socket.
  console.log('push latency: 200 redemptions ...');
  const pushReferrers = await createUsers(db, 40);
  const friends = await createUsers(db, 200, { onboardedAt: new Date() });
  const fromCommit: number[] = [];
  const fromCall: number[] = [];
  for (const [r, owner] of pushReferrers.entries()) {
    const listener = await signedIn(url, owner.id);
    for (const friend of friends.slice(r * 5, r * 5 + 5)) {
      const received = new Promise<number>((resolve) => {
        const onMessage = (data: WebSocket.RawData) => {
          if (JSON.parse(String(data)).type !== 'quota-updated') return;
          listener.off('message', onMessage);
          resolve(performance.now());
        };
        listener.on('message', onMessage);
      });
      const called = performance.now();
      const result = await redeemReferralCode({ db, userId: friend.id, input: owner.referralCode });
      const committed = performance.now();
      if (!result.ok) throw new Error(`redemption failed: ${result.code}`);
      const at = await received;
      fromCommit.push(Math.max(0, at - committed));
      fromCall.push(at - called);
    }
    listener.terminate();
  }
  fromCommit.sort((a, b) => a - b);
  fromCall.sort((a, b) => a - b);

  // 3. Memory with idle authenticated connections.
  for (const ws of sockets) ws.terminate();
  console.log(`idle: opening ${IDLE} authenticated connections ...`);
  const idle: WebSocket[] = [];
  for (let i = 0; i < IDLE; i += 500) {
    const batch = Math.min(500, IDLE - i);
    idle.push(...(await Promise.all(Array.from({ length: batch }, (_, j) => signedIn(url, users[(i + j) % users.length]!.id)))));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const rssIdle = rssMb(backend.child.pid!);
  for (const ws of idle) ws.terminate();

  const ratio = validateRate / echoRate;
  console.log('\nwebsocket results');
  console.log(`  validate round trips/s    ${validateRate.toFixed(0)} over ${CONNECTIONS} connections`);
  console.log(`  bare ws echo round trips/s ${echoRate.toFixed(0)} (baseline, same machine, same run)`);
  console.log(`  ratio                     ${ratio.toFixed(2)} (target >= 0.5)`);
  console.log(
    `  push latency, commit -> socket     p50 ${percentile(fromCommit, 50).toFixed(2)} ms  p99 ${percentile(fromCommit, 99).toFixed(2)} ms ` +
      `(${fromCommit.length} pushes; 0 when the push arrived before the committing call returned)`,
  );
  console.log(
    `  push latency, redeem call -> socket p50 ${percentile(fromCall, 50).toFixed(2)} ms  p99 ${percentile(fromCall, 99).toFixed(2)} ms`,
  );
  console.log(`  backend RSS               ${rssEmpty.toFixed(0)} MB idle with no connections, ${rssIdle.toFixed(0)} MB with ${idle.length} authenticated connections (target < 250 MB)`);
} finally {
  for (const child of processes) await stop(child);
  await closeDb(db);
  await database.teardown();
}
process.exit(0);
