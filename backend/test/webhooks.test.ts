// Webhooks (docs/webhooks.md) end to end: real backend
// processes deliver the outbox to real HTTP receivers on 127.0.0.1. One
// receiver runs in this process and records every request; the other is the
// documented example, docs/examples/webhook-receiver.mjs, run as a program.
// The test process plays `web`: it changes referrals through the domain.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { completeOnboarding, decideReferral, redeemReferralCode } from '@app/common';
import { createUser } from '@app/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackendEnv } from '../src/env';
import { retryDelayMs, signingKey, signWebhook, webhookEndpoint } from '../src/webhooks';
import { startBackend, useTestDb, type RunningBackend } from './helpers';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');
const EXAMPLE = path.join(DOCS, 'examples/webhook-receiver.mjs');

interface WebhookBody {
  id: string;
  type: string;
  createdAt: string;
  data: { referral: { id: string; referrerId: string; referredId: string; status: string } };
}
type Verify = (options: { secret: string; headers: Record<string, string | string[] | undefined>; body: string | Buffer; now?: number }) => WebhookBody;
// The verification code of the docs, imported as it is published.
const { verifyWebhook } = (await import(pathToFileURL(EXAMPLE).href)) as { verifyWebhook: Verify };

// The Standard Webhooks secret format (the backend also takes plain text).
const WEBHOOK_SECRET = `whsec_${Buffer.from('webhook-tests-key-0123456789abcdef').toString('base64')}`;
const admin = { id: null, email: 'operator@example.test' };
type User = Awaited<ReturnType<typeof createUser>>;
const db = useTestDb(10);

interface Delivery {
  headers: IncomingMessage['headers'];
  body: string;
  event: WebhookBody | null;
  verifyError: string | null;
  status: number;
}

/**
 * A receiver that records every request in arrival order. Per referral, it can
 * refuse the first N attempts of each event, or hold its answer until told.
 */
class Receiver {
  readonly deliveries: Delivery[] = [];
  readonly failFirst = new Map<string, number>();
  readonly hold = new Map<string, Promise<void>>();
  private readonly attempts = new Map<string, number>();
  private server!: Server;
  url = '';

  async start() {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks?token=t0ps3cret`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let event: WebhookBody | null = null;
    let verifyError: string | null = null;
    try {
      event = verifyWebhook({ secret: WEBHOOK_SECRET, headers: req.headers, body });
    } catch (error) {
      verifyError = String(error);
    }
    const delivery: Delivery = { headers: req.headers, body, event, verifyError, status: 0 };
    this.deliveries.push(delivery);
    const referralId = event?.data.referral.id ?? '';
    const attempt = (this.attempts.get(event?.id ?? '') ?? 0) + 1;
    if (event) this.attempts.set(event.id, attempt);
    await this.hold.get(referralId);
    delivery.status = !event ? 401 : attempt <= (this.failFirst.get(referralId) ?? 0) ? 503 : 204;
    res.writeHead(delivery.status, { 'content-type': 'text/plain' }).end(delivery.status === 503 ? 'try later' : undefined);
  }

  of(referralId: string): Delivery[] {
    return this.deliveries.filter((d) => d.event?.data.referral.id === referralId);
  }

  accepted(referralId: string): WebhookBody[] {
    return this.of(referralId)
      .filter((d) => d.status === 204)
      .map((d) => d.event!);
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The documented example receiver as a program; it prints each verified event once, as a JSON line. */
async function startExampleReceiver(): Promise<{ url: string; events: () => WebhookBody[]; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [EXAMPLE], { env: { ...process.env, WEBHOOK_SECRET, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  process.on('exit', () => child.kill('SIGKILL'));
  const events: WebhookBody[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
    const lines = stdout.split('\n');
    stdout = lines.pop()!;
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as WebhookBody);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await until(() => /listening on (\S+)/.test(stderr) || child.exitCode !== null, 10_000, 'the example receiver did not start');
  const url = /listening on (\S+)/.exec(stderr)?.[1];
  if (!url) throw new Error(`the example receiver exited:\n${stderr}`);
  return {
    url,
    events: () => events,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let diagnostics = () => '';

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${message}\n${diagnostics()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function outboxOf(referralId: string) {
  return db.$client<{ event_id: string; type: string; status: string; attempts: number; last_error: string | null; delivered_to: string[] }[]>`
    select event_id, type, status, attempts, last_error, delivered_to from webhook_event where referral_id = ${referralId} order by id`;
}

/** A clean referral: created, then completed when the friend finishes onboarding. */
async function referAndComplete(friendOverrides: Parameters<typeof createUser>[1] = {}): Promise<{ referrer: User; friend: User }> {
  const referrer = await createUser(db);
  const friend = await createUser(db, friendOverrides);
  expect(await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).toMatchObject({ ok: true });
  expect(await completeOnboarding({ db, userId: friend.id })).toMatchObject({ ok: true });
  return { referrer, friend };
}

/** Held for review: the friend signed up with a throwaway address. */
const throwaway = () => ({ email: `x-${Math.random().toString(36).slice(2)}@mailinator.com` });

describe('webhook settings', () => {
  const base = { NODE_ENV: 'test' };

  it('run no delivery loop without WEBHOOK_URLS, and need a secret of 16+ characters with them', () => {
    expect(loadBackendEnv(base).webhooks).toBeNull();
    expect(() => loadBackendEnv({ ...base, WEBHOOK_URLS: 'https://hooks.example.com/a' })).toThrow(/WEBHOOK_SECRET: required/);
    expect(() => loadBackendEnv({ ...base, WEBHOOK_URLS: 'https://hooks.example.com/a', WEBHOOK_SECRET: 'short' })).toThrow(/16 characters/);
    expect(() => loadBackendEnv({ ...base, WEBHOOK_URLS: 'ftp://x.example.com', WEBHOOK_SECRET: 'x'.repeat(16) })).toThrow(/not an http\(s\) URL/);
    expect(() => loadBackendEnv({ ...base, WEBHOOK_URLS: 'https://a.example.com', WEBHOOK_SECRET: 'whsec_c2hvcnQ=' })).toThrow(/16 bytes/);
    const env = loadBackendEnv({
      ...base,
      WEBHOOK_URLS: ' https://a.example.com/hook?token=1 , http://127.0.0.1:9/b,https://a.example.com/hook?token=1',
      WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    expect(env.webhooks).toMatchObject({ maxAttempts: 10, batchSize: 50, pollIntervalMs: 500, timeoutMs: 10_000 });
    // Logs and last_error name the origin, the outbox a hash: never the token in the URL.
    expect(env.webhooks!.endpoints.map((e) => e.label)).toEqual(['https://a.example.com', 'http://127.0.0.1:9']);
    expect(env.webhooks!.endpoints[0]!.key).toMatch(/^[0-9a-f]{16}$/);
  });

  it('back off exponentially with jitter, up to the maximum', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(1000, 1000, 60_000, () => 0.5)).toBe(45_000);
  });

  it('sign so that the documented receiver accepts the request, and only that request', () => {
    const body = JSON.stringify({ id: 'evt-1', type: 'referral.created', createdAt: new Date().toISOString(), data: {} });
    for (const secret of [WEBHOOK_SECRET, 'a plain secret, 16+ chars']) {
      const headers = signWebhook({ key: signingKey(secret), id: 'evt-1', body });
      expect(verifyWebhook({ secret, headers, body }).id).toBe('evt-1');
      expect(() => verifyWebhook({ secret, headers, body: body.replace('created', 'completed') })).toThrow(/no valid signature/);
      expect(() => verifyWebhook({ secret: 'another secret of 16+ chars', headers, body })).toThrow(/no valid signature/);
      expect(() => verifyWebhook({ secret, headers: { ...headers, 'webhook-id': 'evt-2' }, body })).toThrow(/no valid signature/);
      expect(() => verifyWebhook({ secret, headers, body, now: Date.now() + 10 * 60_000 })).toThrow(/tolerance/);
    }
  });
});

describe('docs/webhooks.md', () => {
  const page = readFileSync(path.join(DOCS, 'webhooks.md'), 'utf8');

  it('shows the example receiver\'s verification code as it is, without its comments', () => {
    const published = /```js\n([\s\S]*?)```/.exec(page)![1]!;
    const source = /^export function verifyWebhook[\s\S]*?^}$/m.exec(readFileSync(EXAMPLE, 'utf8'))![0];
    const code = source
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n');
    expect(published).toContain(code);
  });

  it('shows a request that verifies with the secret it names', () => {
    const request = /```http\n([\s\S]*?)```/.exec(page)![1]!.trim().split('\n');
    const headers: Record<string, string> = {};
    for (const line of request) {
      const header = /^(webhook-[a-z]+): (.+)$/.exec(line);
      if (header) headers[header[1]!] = header[2]!;
    }
    const secret = /WEBHOOK_SECRET=(whsec_[A-Za-z0-9+/=]+)/.exec(page)![1]!;
    const event = verifyWebhook({ secret, headers, body: request.at(-1)!, now: Number(headers['webhook-timestamp']) * 1000 });
    expect(event).toMatchObject({ type: 'referral.completed', data: { referral: { status: 'completed' } } });
  });
});

describe('webhook delivery', () => {
  const receiver = new Receiver();
  let example: Awaited<ReturnType<typeof startExampleReceiver>>;
  let backends: RunningBackend[] = [];
  const settings = () => ({
    WEBHOOK_URLS: `${receiver.url},${example.url}`,
    WEBHOOK_SECRET,
    WEBHOOK_POLL_INTERVAL_MS: '100',
    WEBHOOK_BACKOFF_BASE_MS: '100',
    WEBHOOK_BACKOFF_MAX_MS: '400',
    WEBHOOK_MAX_ATTEMPTS: '6',
    WEBHOOK_TIMEOUT_MS: '3000',
  });

  beforeAll(async () => {
    await receiver.start();
    example = await startExampleReceiver();
    // Two processes deliver together throughout, as behind a load balancer.
    backends = await Promise.all([startBackend(settings()), startBackend(settings())]);
    diagnostics = () =>
      [`receiver: ${receiver.deliveries.length} requests`, ...backends.map((b, i) => `backend ${i}:\n${b.logs().slice(-3000)}`)].join('\n');
  });
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.stop()));
    await example.stop();
    await receiver.close();
  });

  it('delivers every event type, signed, in order, once to each endpoint', async () => {
    const clean = await referAndComplete();
    const approved = await referAndComplete(throwaway());
    const rejected = await referAndComplete(throwaway());
    const revoked = await referAndComplete();
    expect(await decideReferral({ db, referralId: approved.friend.id, action: 'approve', actor: admin, reason: 'checked' })).toMatchObject({ ok: true });
    expect(await decideReferral({ db, referralId: rejected.friend.id, action: 'reject', actor: admin, reason: 'throwaway' })).toMatchObject({ ok: true });
    expect(await decideReferral({ db, referralId: revoked.friend.id, action: 'revoke', actor: admin, reason: 'alt account' })).toMatchObject({ ok: true });
    const expected: [User, string[]][] = [
      [clean.friend, ['referral.created', 'referral.completed']],
      [approved.friend, ['referral.created', 'referral.held', 'referral.completed']],
      [rejected.friend, ['referral.created', 'referral.held', 'referral.rejected']],
      [revoked.friend, ['referral.created', 'referral.completed', 'referral.rejected']],
    ];
    await until(
      () => expected.every(([friend, types]) => receiver.accepted(friend.id).length === types.length),
      15_000,
      'not every event arrived',
    );
    for (const [friend, types] of expected) {
      const outbox = await outboxOf(friend.id);
      const received = receiver.accepted(friend.id);
      // In the order of the outbox, each event once, every request signed (checked by the docs' code).
      expect(received.map((e) => e.type)).toEqual(types);
      expect(received.map((e) => e.id)).toEqual(outbox.map((o) => o.event_id));
      expect(receiver.of(friend.id).every((d) => d.verifyError === null && d.headers['webhook-id'] === d.event!.id)).toBe(true);
      for (const event of received) {
        const status = { 'referral.created': 'pending', 'referral.held': 'held', 'referral.completed': 'completed', 'referral.rejected': 'rejected' }[event.type];
        expect(event).toMatchObject({ createdAt: expect.any(String), data: { referral: { id: friend.id, referredId: friend.id, status } } });
      }
      // The example receiver, the second endpoint, printed the same events.
      await until(() => example.events().filter((e) => e.data.referral.id === friend.id).length === types.length, 5_000, 'example receiver');
      expect(example.events().filter((e) => e.data.referral.id === friend.id).map((e) => e.id)).toEqual(outbox.map((o) => o.event_id));
      await until(async () => (await outboxOf(friend.id)).every((o) => o.status === 'delivered'), 5_000, 'not marked delivered');
      expect((await outboxOf(friend.id)).every((o) => o.attempts === 1 && o.delivered_to.length === 2)).toBe(true);
    }
    // The receiver sees a real example of the payload (docs/webhooks.md shows one).
    const sample = receiver.deliveries.find((d) => d.event?.data.referral.id === clean.friend.id && d.event.type === 'referral.completed')!;
    expect(sample.headers).toMatchObject({ 'content-type': 'application/json', 'webhook-timestamp': expect.stringMatching(/^\d+$/) });
    expect(sample.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('a receiver that fails the first 3 attempts gets each event once in the end; the other endpoint is not sent it again', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { onboardedAt: new Date() });
    receiver.failFirst.set(friend.id, 3);
    expect(await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).toMatchObject({ ok: true, status: 'completed' });
    await until(() => receiver.accepted(friend.id).length === 2, 20_000, 'events did not get through');
    const outbox = await outboxOf(friend.id);
    for (const event of outbox) {
      const attempts = receiver.of(friend.id).filter((d) => d.event!.id === event.event_id);
      // Four requests with the same webhook-id (each signed anew), three refused, one accepted.
      expect(attempts.map((d) => d.status)).toEqual([503, 503, 503, 204]);
      expect(new Set(attempts.map((d) => d.headers['webhook-id']))).toEqual(new Set([event.event_id]));
      expect(example.events().filter((e) => e.id === event.event_id)).toHaveLength(1);
    }
    // created was retried to acceptance before completed was sent at all.
    expect(receiver.of(friend.id).map((d) => `${d.event!.type} ${d.status}`)).toEqual([
      ...Array(3).fill('referral.created 503'),
      'referral.created 204',
      ...Array(3).fill('referral.completed 503'),
      'referral.completed 204',
    ]);
    await until(async () => (await outboxOf(friend.id)).every((o) => o.status === 'delivered'), 5_000, 'not marked delivered');
    expect(await outboxOf(friend.id)).toEqual(
      outbox.map((o) => ({ ...o, status: 'delivered', attempts: 4, last_error: null, delivered_to: expect.any(Array) })),
    );
  });

  it('an endpoint that never accepts: failed after WEBHOOK_MAX_ATTEMPTS with the last error; the referral\'s next event then goes out', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { onboardedAt: new Date() });
    receiver.failFirst.set(friend.id, 1_000);
    expect(await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).toMatchObject({ ok: true });
    await until(async () => (await outboxOf(friend.id)).every((o) => o.status === 'failed'), 25_000, 'not failed');
    const outbox = await outboxOf(friend.id);
    for (const event of outbox) {
      expect(event).toMatchObject({ status: 'failed', attempts: 6 });
      expect(event.last_error).toBe(`${new URL(receiver.url).origin}: HTTP 503 try later`);
      // The example receiver accepted it the first time: only the failing endpoint was retried.
      expect(event.delivered_to).toEqual([webhookEndpoint(example.url).key]);
      expect(receiver.of(friend.id).filter((d) => d.event!.id === event.event_id)).toHaveLength(6);
    }
    expect(receiver.of(friend.id).map((d) => d.event!.type)).toEqual([...Array(6).fill('referral.created'), ...Array(6).fill('referral.completed')]);
    expect(JSON.stringify(outbox)).not.toContain('t0ps3cret');
  });

  it('two backend processes deliver each of 100 events exactly once, created before completed', async () => {
    const pairs = await Promise.all(Array.from({ length: 50 }, async () => ({ referrer: await createUser(db), friend: await createUser(db) })));
    // Redemptions and completions, 8 at a time, while both processes deliver.
    for (let i = 0; i < pairs.length; i += 8) {
      await Promise.all(
        pairs.slice(i, i + 8).map(async ({ referrer, friend }) => {
          expect(await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).toMatchObject({ ok: true });
          expect(await completeOnboarding({ db, userId: friend.id })).toMatchObject({ ok: true });
        }),
      );
    }
    await until(() => pairs.every(({ friend }) => receiver.accepted(friend.id).length === 2), 20_000, 'not all 100 events arrived');
    await until(
      () => pairs.every(({ friend }) => example.events().filter((e) => e.data.referral.id === friend.id).length === 2),
      5_000,
      'the example receiver missed events',
    );
    const ids = pairs.flatMap(({ friend }) => receiver.of(friend.id).map((d) => d.event!.id));
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    for (const { friend } of pairs) {
      expect(receiver.of(friend.id).map((d) => d.event!.type)).toEqual(['referral.created', 'referral.completed']);
    }
    const exampleIds = example.events().map((e) => e.id);
    expect(ids.every((id) => exampleIds.filter((x) => x === id).length === 1)).toBe(true);
  });

  it('a rolled-back change emits nothing', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { onboardedAt: new Date() });
    await expect(
      db.$client.begin(async (tx) => {
        const [row] = await tx`select * from referral_redeem(${friend.id}, ${referrer.referralCode})`;
        expect(row).toMatchObject({ result_code: 'ok', result_status: 'completed' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // A change committed after it is delivered; by then the rolled-back one would have been too.
    const later = await referAndComplete();
    await until(() => receiver.accepted(later.friend.id).length === 2, 10_000, 'the later change did not arrive');
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.of(friend.id)).toEqual([]);
    expect(example.events().filter((e) => e.data.referral.id === friend.id)).toEqual([]);
    expect(await outboxOf(friend.id)).toEqual([]);
  });

  it('SIGTERM lets an in-flight delivery finish; past the drain timeout it is aborted and released to the next process', async () => {
    // Both processes stop while an answer is pending: the delivery completes and is recorded.
    const slow = await createUser(db);
    let answer!: () => void;
    receiver.hold.set(slow.id, new Promise<void>((resolve) => (answer = resolve)));
    const referrer = await createUser(db);
    await redeemReferralCode({ db, userId: slow.id, input: referrer.referralCode });
    await until(() => receiver.of(slow.id).length === 1, 10_000, 'no request');
    const stopped = Promise.all(backends.map((b) => b.stop()));
    setTimeout(answer, 500);
    expect(await stopped).toEqual([0, 0]);
    expect(receiver.of(slow.id).map((d) => d.status)).toEqual([204]);
    expect((await outboxOf(slow.id)).map((o) => o.status)).toEqual(['delivered']);

    // A receiver that never answers: the backend gives up after WS_DRAIN_TIMEOUT_MS and releases the lease.
    const stuck = await createUser(db);
    receiver.hold.set(stuck.id, new Promise<void>(() => {}));
    const impatient = await startBackend({ ...settings(), WS_DRAIN_TIMEOUT_MS: '300', WEBHOOK_TIMEOUT_MS: '20000' });
    await redeemReferralCode({ db, userId: stuck.id, input: (await createUser(db)).referralCode });
    await until(() => receiver.of(stuck.id).length === 1, 10_000, 'no request');
    const before = Date.now();
    expect(await impatient.stop()).toBe(0);
    expect(Date.now() - before).toBeLessThan(5_000);
    const [row] = await db.$client<{ status: string; attempts: number; due: boolean; last_error: string | null; delivered_to: string[] }[]>`
      select status, attempts, next_attempt_at <= now() as due, last_error, delivered_to from webhook_event where referral_id = ${stuck.id}`;
    // Not counted as an attempt (nor as an error), due at once; the example receiver's acceptance is kept.
    expect(row).toEqual({ status: 'pending', attempts: 0, due: true, last_error: null, delivered_to: [webhookEndpoint(example.url).key] });
    expect(impatient.logs()).toMatch(/webhook delivery abandoned \(stopping\).*aborted/);
  });
});
