// The server API (/api/v1, docs/integration.md) on the production build: keys
// and scopes, every operation's success and error codes, the cap and the trust
// rules exactly as through the app, retries by Idempotency-Key under
// concurrency, per-key limits, cursor pagination, externalIds and grant ids in
// webhook payloads. Every answer goes through the contract checker: a status
// the OpenAPI document does not list, or a body that drifts from its schema,
// fails the test that got it.
import { randomUUID } from 'node:crypto';
import { createApiKey, DEFAULT_QUOTA, deleteAccount, findLedgerViolations, getProgram, revokeApiKey, type ApiKeyScope, type ErrorCode } from '@app/common';
import { createApiClient, type ApiClient } from '@app/common/api-client';
import { schema } from '@app/common/db';
import { daysAgo } from '@app/common/testing';
import { createContractChecker } from '@app/common/testing/openapi-contract';
import { expect, test } from '@playwright/test';
import { and, eq, sql } from 'drizzle-orm';
import { APP, clientAddress, expectTypedError, http, jsonOf, member, useDb, type HttpOptions, type HttpResponse } from './helpers';

const db = useDb();
const checker = createContractChecker();

function expectContract(method: string, url: string, status: number, body: unknown) {
  const path = new URL(url, APP).pathname.replace(/^\/api\/v1/, '');
  expect(checker.check(method, path, status, body), `${method} ${path} → ${status} ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
}

/** A new API key (the operator page's createApiKey). */
async function newKey(scopes: ApiKeyScope[] = ['read', 'write'], rateLimitPerMinute?: number) {
  const made = await createApiKey({ db, input: { name: 'security suite', scopes, rateLimitPerMinute }, actor: { id: null, email: 'operator@example.test' } });
  if (!made.ok) throw new Error(made.message);
  return made;
}

/** The typed client (openapi-fetch) with the contract check on every answer. */
function client(key: string): ApiClient {
  const api = createApiClient({ appUrl: APP, apiKey: key });
  api.use({
    async onResponse({ request, response }) {
      const text = await response.clone().text();
      expectContract(request.method, request.url, response.status, text ? JSON.parse(text) : undefined);
    },
  });
  return api;
}

/** A raw request under /api/v1 (for what the typed client cannot send), contract-checked. */
async function raw(path: string, options: HttpOptions & { key?: string } = {}): Promise<HttpResponse> {
  const headers = { ...options.headers, ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) };
  const response = await http(`/api/v1${path}`, { ...options, headers });
  expectContract(options.method ?? (options.json === undefined ? 'GET' : 'POST'), `/api/v1${path}`, response.status, jsonOf(response));
  return response;
}

const uid = (label: string) => `${label}-${randomUUID()}`;
/** Where a member's browser is: an address (and /24) of its own, and a browser. */
const somewhere = () => ({ ip: clientAddress(), userAgent: `Browser/${randomUUID()}` });

async function upsert(api: ApiClient, externalId: string, body: { email?: string | null; name?: string | null; client?: { ip?: string; userAgent?: string } } = {}) {
  const { data, response } = await api.PUT('/members/{externalId}', {
    params: { path: { externalId } },
    body: { email: `${externalId}@example.test`, name: externalId.split('-')[0], client: somewhere(), ...body },
  });
  expect(response.status, `upsert ${externalId}`).toBe(200);
  return data!.member;
}

function errorCode(error: unknown): ErrorCode | undefined {
  return (error as { error?: { code?: ErrorCode } } | undefined)?.error?.code;
}

test.describe.configure({ timeout: 120_000 });

test('a missing, malformed, unknown or revoked key gets 401, a read key on a write operation 403, a session cookie is not a key; none changes anything', async () => {
  const write = await newKey(['read', 'write']);
  const read = await newKey(['read']);
  const revoked = await newKey(['read', 'write']);
  const revokedNow = await revokeApiKey({ db, id: revoked.apiKey.id, actor: { email: 'operator@example.test' } });
  expect(revokedNow.ok).toBe(true);
  const target = uid('target');
  const referrer = await upsert(client(write.key), uid('owner'));
  const session = await member(db);

  const attempts: { label: string; headers: Record<string, string>; cookie?: string; expected: ErrorCode }[] = [
    { label: 'no key', headers: {}, expected: 'unauthenticated' },
    { label: 'session cookie only', headers: {}, cookie: session.cookie, expected: 'unauthenticated' },
    { label: 'Basic', headers: { authorization: `Basic ${Buffer.from(`x:${write.key}`).toString('base64')}` }, expected: 'unauthenticated' },
    { label: 'no prefix', headers: { authorization: `Bearer ${write.key.slice(4)}` }, expected: 'unauthenticated' },
    { label: 'unknown', headers: { authorization: `Bearer ${write.key.slice(0, -2)}xx` }, expected: 'unauthenticated' },
    { label: 'key as cookie', headers: {}, cookie: `authorization=Bearer ${write.key}`, expected: 'unauthenticated' },
    { label: 'revoked', headers: { authorization: `Bearer ${revoked.key}` }, expected: 'unauthenticated' },
    { label: 'read scope', headers: { authorization: `Bearer ${read.key}` }, expected: 'forbidden' },
  ];
  for (const attempt of attempts) {
    const put = await raw(`/members/${target}`, { method: 'PUT', headers: attempt.headers, cookie: attempt.cookie, json: { name: 'Mallory' } });
    expectTypedError(put, attempt.expected, `PUT ${attempt.label}`);
    const redeem = await raw(`/members/${session.user.id}/redeem`, { headers: attempt.headers, cookie: attempt.cookie, json: { referralCode: referrer.referralCode } });
    expectTypedError(redeem, attempt.expected, `redeem ${attempt.label}`);
    if (attempt.expected === 'unauthenticated') {
      expectTypedError(await raw('/referrals', { headers: attempt.headers, cookie: attempt.cookie }), 'unauthenticated', `GET ${attempt.label}`);
    }
  }
  // The read key reads.
  expect((await raw('/referrals?limit=1', { key: read.key })).status).toBe(200);
  // Nothing changed: no member was made, nobody was referred.
  expect(await db.select().from(schema.users).where(eq(schema.users.externalId, target))).toEqual([]);
  expect(await db.select().from(schema.referrals).where(eq(schema.referrals.referrerId, referrer.id))).toEqual([]);
});

test('members: made, then updated (omitted fields stay); an e-mail of another person is conflict; an unknown member is not_found on every member operation; a bad externalId, body or query is invalid_input', async () => {
  const api = client((await newKey()).key);
  const ada = uid('ada');
  const made = await api.PUT('/members/{externalId}', { params: { path: { externalId: ada } }, body: { email: `${ada}@example.test`, name: 'Ada' } });
  expect(made.data).toMatchObject({ created: true, member: { externalId: ada, email: `${ada}@example.test`, name: 'Ada', quota: DEFAULT_QUOTA, onboardedAt: null } });
  expect(made.data!.member.referralLink).toBe(`${APP}/referrals/${made.data!.member.referralCode}`);
  const renamed = await api.PUT('/members/{externalId}', { params: { path: { externalId: ada } }, body: { name: 'Ada L.' } });
  expect(renamed.data).toMatchObject({ created: false, member: { id: made.data!.member.id, email: `${ada}@example.test`, name: 'Ada L.' } });

  const taken = await api.PUT('/members/{externalId}', { params: { path: { externalId: uid('bob') } }, body: { email: `${ada}@example.test` } });
  expect(taken.response.status).toBe(409);
  expect(errorCode(taken.error)).toBe('conflict');

  const nobody = uid('nobody');
  const path = { params: { path: { externalId: nobody } } };
  for (const [label, answer] of [
    ['GET', await api.GET('/members/{externalId}', path)],
    ['redeem', await api.POST('/members/{externalId}/redeem', { ...path, body: { referralCode: made.data!.member.referralCode } })],
    ['conversion', await api.POST('/members/{externalId}/conversion', path)],
    ['code', await api.POST('/members/{externalId}/code', path)],
    ['embed-token', await api.POST('/members/{externalId}/embed-token', path)],
    ['quota-history', await api.GET('/members/{externalId}/quota-history', path)],
  ] as const) {
    expect(answer.response.status, label).toBe(404);
    expect(errorCode(answer.error), label).toBe('not_found');
  }

  const key = (await newKey()).key;
  expectTypedError(await raw(`/members/${'x'.repeat(201)}`, { key }), 'invalid_input', 'long externalId');
  expectTypedError(await raw('/members/a%20b', { key }), 'invalid_input', 'space in externalId');
  expectTypedError(await raw(`/members/${ada}`, { key, method: 'PUT', json: { email: 'not-an-address' } }), 'invalid_input', 'bad e-mail');
  expectTypedError(await raw(`/members/${ada}`, { key, method: 'PUT', json: { client: { ip: '999.1.1.1' } } }), 'invalid_input', 'bad ip');
  expectTypedError(await raw(`/members/${ada}/redeem`, { key, json: { referralCode: 42 } }), 'invalid_input', 'code as number');
  expectTypedError(await raw('/referrals?limit=0', { key }), 'invalid_input', 'limit 0');
  expectTypedError(await raw('/referrals?status=done', { key }), 'invalid_input', 'unknown status');
  expectTypedError(await raw('/referrals?cursor=bm9wZQ', { key }), 'invalid_input', 'forged cursor');
});

test('redeem and conversion through the API reward both people once; the summary, quota history, referral list and webhook payload carry externalIds and the same grant ids', async () => {
  const api = client((await newKey()).key);
  const referrerId = uid('ref');
  const friendId = uid('friend');
  const referrer = await upsert(api, referrerId);
  await upsert(api, friendId);
  const friendPath = { params: { path: { externalId: friendId } } };

  const redeemed = await api.POST('/members/{externalId}/redeem', { ...friendPath, body: { referralCode: referrer.referralLink } });
  expect(redeemed.data).toEqual({ status: 'pending', quota: DEFAULT_QUOTA, referrer: { name: 'ref' } });
  const converted = await api.POST('/members/{externalId}/conversion', friendPath);
  const summary = await api.GET('/members/{externalId}', { params: { path: { externalId: referrerId } } });
  const { referrer: referrerReward, referred: friendReward } = summary.data!.rewards;
  expect(converted.data).toMatchObject({ quota: DEFAULT_QUOTA + friendReward, referral: { status: 'completed', rewardGranted: true } });
  const again = await api.POST('/members/{externalId}/conversion', friendPath);
  expect(again.data).toMatchObject({ quota: DEFAULT_QUOTA + friendReward, referral: { status: 'completed', rewardGranted: false } });

  expect(summary.data).toMatchObject({
    externalId: referrerId,
    quota: DEFAULT_QUOTA + referrerReward,
    usedReferrals: 1,
    referrals: [{ name: 'friend', status: 'completed', statusReason: null }],
  });
  const history = await api.GET('/members/{externalId}/quota-history', { params: { path: { externalId: referrerId } } });
  expect(history.data!.items).toHaveLength(1);
  expect(history.data!.items[0]).toMatchObject({ amount: referrerReward, reason: 'referral_referrer', referralId: redeemedReferralId(await friendUserId(friendId)) });
  expect(history.data!.nextCursor).toBeNull();

  const listed = await api.GET('/referrals', { params: { query: { status: 'completed', limit: 200 } } });
  const referral = listed.data!.items.find((r) => r.referredExternalId === friendId);
  expect(referral).toMatchObject({ referrerExternalId: referrerId, referrerId: referrer.id, status: 'completed' });
  const grantIds = referral!.grants.map((g) => g.id);
  expect(grantIds).toContain(history.data!.items[0]!.id);
  expect(referral!.grants.map((g) => g.externalId).sort()).toEqual([friendId, referrerId].sort());

  // The webhook event of the completion carries the same: both externalIds, the same grant ids.
  const [event] = await db
    .select({ payload: schema.webhookEvents.payload })
    .from(schema.webhookEvents)
    .where(and(eq(schema.webhookEvents.referralId, referral!.id), eq(schema.webhookEvents.type, 'referral.completed')));
  const payload = (event!.payload as { referral: { referrerExternalId: string; referredExternalId: string; grants: { id: string }[] } }).referral;
  expect(payload.referrerExternalId).toBe(referrerId);
  expect(payload.referredExternalId).toBe(friendId);
  expect(payload.grants.map((g) => g.id).sort()).toEqual([...grantIds].sort());
});

async function friendUserId(externalId: string): Promise<string> {
  const [row] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.externalId, externalId));
  return row!.id;
}
/** A referral's id is its referred person's id (docs/webhooks.md). */
const redeemedReferralId = (referredUserId: string) => referredUserId;

test('every redemption error code through the API, as in the app', async () => {
  const api = client((await newKey()).key);
  const owner = await upsert(api, uid('owner'));
  const friend = uid('friend');
  await upsert(api, friend);
  const redeem = (externalId: string, referralCode: string) =>
    api.POST('/members/{externalId}/redeem', { params: { path: { externalId } }, body: { referralCode } });
  const expectCode = async (answer: Promise<{ error?: unknown; response: Response }>, code: ErrorCode) => {
    const { error, response } = await answer;
    expect(errorCode(error), `${code} (${response.status})`).toBe(code);
  };

  await expectCode(redeem(friend, 'not a code'), 'invalid_code');
  await expectCode(redeem(friend, `ref-${randomUUID()}`), 'code_not_found');
  await expectCode(redeem(owner.externalId, owner.referralCode), 'self_referral');
  expect((await redeem(friend, owner.referralCode)).data?.status).toBe('pending');
  const other = await upsert(api, uid('other'));
  await expectCode(redeem(friend, other.referralCode), 'already_referred');
  const friendCode = (await api.GET('/members/{externalId}', { params: { path: { externalId: friend } } })).data!.referralCode;
  // The owner is new too, so their redeeming the code of someone they referred is a loop.
  await expectCode(redeem(owner.externalId, friendCode), 'referral_loop');
  const old = await upsert(api, uid('old'));
  await db.update(schema.users).set({ createdAt: daysAgo(60) }).where(eq(schema.users.id, old.id));
  await expectCode(redeem(old.externalId, other.referralCode), 'not_eligible');
  const { maxReferrals } = (await api.GET('/members/{externalId}', { params: { path: { externalId: other.externalId } } })).data!;
  for (let i = 0; i < maxReferrals; i++) {
    const next = await upsert(api, uid('fill'));
    expect((await redeem(next.externalId, other.referralCode)).data?.status).toBe('pending');
  }
  await expectCode(redeem((await upsert(api, uid('late'))).externalId, other.referralCode), 'code_exhausted');
});

/** An address on the same /24 as `ip`, but not `ip`. */
const neighbour = (ip: string) => ip.replace(/\.(\d+)$/, (_, last: string) => `.${(Number(last) % 250) + 2}`);

test('every trust rule holds through the API as in the app: each signal fires from what the host sends, and holds the referral when it weighs enough', async () => {
  const api = client((await newKey()).key);
  const cases: {
    label: string;
    friend: (referrer: { email: string; place: { ip: string; userAgent: string } }) => Parameters<typeof upsert>[2];
    signals: string[];
    status: 'held' | 'completed';
  }[] = [
    { label: 'no client at all', friend: () => ({ client: undefined }), signals: ['missing_address', 'missing_user_agent'], status: 'held' },
    { label: "the referrer's address", friend: (r) => ({ client: { ip: r.place.ip, userAgent: 'Another/1' } }), signals: ['same_ip'], status: 'held' },
    {
      label: "the referrer's network and browser",
      friend: (r) => ({ client: { ip: neighbour(r.place.ip), userAgent: r.place.userAgent } }),
      signals: ['same_network', 'same_user_agent'],
      status: 'held',
    },
    { label: "the referrer's network alone", friend: (r) => ({ client: { ip: neighbour(r.place.ip), userAgent: 'Another/2' } }), signals: ['same_network'], status: 'completed' },
    { label: 'no browser', friend: () => ({ client: { ip: clientAddress() } }), signals: ['missing_user_agent'], status: 'completed' },
    { label: "the referrer's mailbox", friend: (r) => ({ email: r.email.replace('@', '+alt@') }), signals: ['email_match'], status: 'held' },
    { label: 'a throwaway address', friend: () => ({ email: `${randomUUID()}@mailinator.com` }), signals: ['disposable_domain'], status: 'held' },
  ];
  for (const c of cases) {
    const place = somewhere();
    const referrerId = uid('ref');
    const referrer = await upsert(api, referrerId, { client: place });
    const friend = uid('friend');
    await upsert(api, friend, c.friend({ email: referrer.email!, place }));
    const path = { params: { path: { externalId: friend } } };
    expect((await api.POST('/members/{externalId}/redeem', { ...path, body: { referralCode: referrer.referralCode } })).data?.status, c.label).toBe('pending');
    const converted = await api.POST('/members/{externalId}/conversion', path);
    expect(converted.data?.referral, c.label).toMatchObject({ status: c.status, rewardGranted: c.status === 'completed' });
    const [row] = await db.select().from(schema.referrals).where(eq(schema.referrals.referredId, await friendUserId(friend)));
    expect([...row!.signals].sort(), c.label).toEqual([...c.signals].sort());
    const summary = await api.GET('/members/{externalId}', { params: { path: { externalId: referrerId } } });
    expect(summary.data!.referrals.map((r) => [r.status, r.statusReason]), c.label).toEqual([[c.status, c.status === 'held' ? 'under_review' : null]]);
  }

  // A burst: more than the program's referrals allowed in the burst window, and the next one is held (velocity).
  const busy = await upsert(api, uid('busy'));
  const { velocityMaxReferrals } = await getProgram({ db });
  const statuses: string[] = [];
  for (let i = 0; i <= velocityMaxReferrals; i++) {
    const friend = uid('burst');
    await upsert(api, friend);
    const path = { params: { path: { externalId: friend } } };
    await api.POST('/members/{externalId}/redeem', { ...path, body: { referralCode: busy.referralCode } });
    statuses.push((await api.POST('/members/{externalId}/conversion', path)).data!.referral!.status);
  }
  expect(statuses.at(-1)).toBe('held');

  // A person who deleted an account is never referred again: a member with that address cannot redeem.
  const gone = await upsert(api, uid('gone'));
  expect((await deleteAccount({ db, userId: gone.id, requestedBy: 'member' })).ok).toBe(true);
  const back = uid('back');
  await upsert(api, back, { email: gone.email });
  const redeemed = await api.POST('/members/{externalId}/redeem', { params: { path: { externalId: back } }, body: { referralCode: busy.referralCode } });
  expect(errorCode(redeemed.error)).toBe('not_eligible');
  // The deleted member's externalId is free again, and names nobody until it is upserted anew.
  const lookedUp = await api.GET('/members/{externalId}', { params: { path: { externalId: gone.externalId } } });
  expect(errorCode(lookedUp.error)).toBe('not_found');
});

test('20 concurrent POSTs with one Idempotency-Key do the work once and all get its answer; the key for another request is conflict; a malformed key invalid_input', async () => {
  const { key } = await newKey();
  const api = client(key);
  const referrer = await upsert(api, uid('ref'));
  const friend = await upsert(api, uid('friend'));
  const idempotencyKey: string = randomUUID();
  const send = (path: string, json: unknown, k: string = idempotencyKey) => raw(path, { key, method: 'POST', json, headers: { 'idempotency-key': k } });

  const redeems = await Promise.all(Array.from({ length: 20 }, () => send(`/members/${friend.externalId}/redeem`, { referralCode: referrer.referralCode })));
  for (const r of redeems) expect(r.status, r.text).toBe(200);
  expect(new Set(redeems.map((r) => r.text)).size).toBe(1);
  expect(redeems.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
  const created = await db.select().from(schema.webhookEvents).where(and(eq(schema.webhookEvents.referralId, friend.id), eq(schema.webhookEvents.type, 'referral.created')));
  expect(created).toHaveLength(1);

  const conversionKey: string = randomUUID();
  const conversions = await Promise.all(Array.from({ length: 20 }, () => send(`/members/${friend.externalId}/conversion`, undefined, conversionKey)));
  for (const c of conversions) expect(c.status, c.text).toBe(200);
  expect(new Set(conversions.map((c) => c.text)).size).toBe(1);
  expect((jsonOf(conversions[0]!) as { referral: { rewardGranted: boolean } }).referral.rewardGranted).toBe(true);
  const grants = await db.select().from(schema.quotaGrants).where(eq(schema.quotaGrants.referralId, friend.id));
  expect(grants).toHaveLength(2);

  expectTypedError(await send(`/members/${friend.externalId}/redeem`, { referralCode: `ref-${randomUUID()}` }), 'conflict', 'same key, other body');
  expectTypedError(await send(`/members/${referrer.externalId}/redeem`, { referralCode: referrer.referralCode }), 'conflict', 'same key, other path');
  expectTypedError(await send(`/members/${friend.externalId}/code`, undefined, 'x'.repeat(256)), 'invalid_input', 'long key');
  expectTypedError(await send(`/members/${friend.externalId}/code`, undefined, 'a b'), 'invalid_input', 'space in key');
  expect(await findLedgerViolations(db.$client)).toEqual([]);
});

test('the cap holds through the API: 100 concurrent redemptions of one code, exactly the cap accepted', async () => {
  const api = client((await newKey()).key);
  const referrer = await upsert(api, uid('popular'));
  const friends = await Promise.all(Array.from({ length: 100 }, () => upsert(api, uid('crowd'))));
  const answers = await Promise.all(
    friends.map((f) => api.POST('/members/{externalId}/redeem', { params: { path: { externalId: f.externalId } }, body: { referralCode: referrer.referralCode } })),
  );
  const { maxReferrals } = (await api.GET('/members/{externalId}', { params: { path: { externalId: referrer.externalId } } })).data!;
  const accepted = answers.filter((a) => a.response.status === 200);
  expect(accepted).toHaveLength(maxReferrals);
  expect(answers.filter((a) => errorCode(a.error) === 'code_exhausted')).toHaveLength(100 - maxReferrals);
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(schema.referrals).where(eq(schema.referrals.referrerId, referrer.id)) as [{ count: number }];
  expect(count).toBe(maxReferrals);
  expect(await findLedgerViolations(db.$client)).toEqual([]);
});

test("each key has its own limit per minute: the 4th request of a 3-a-minute key gets 429 with Retry-After, another key is not limited", async () => {
  const slow = await newKey(['read'], 3);
  for (let i = 0; i < 3; i++) expect((await raw('/referrals?limit=1', { key: slow.key })).status).toBe(200);
  const limited = await raw('/referrals?limit=1', { key: slow.key });
  expectTypedError(limited, 'rate_limited', '4th request');
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect((await raw('/referrals?limit=1', { key: (await newKey(['read'], 3)).key })).status).toBe(200);
});

test('lists page with a cursor: every item once, newest first', async () => {
  const api = client((await newKey()).key);
  const referrer = await upsert(api, uid('pager'));
  const friends: string[] = [];
  for (let i = 0; i < 4; i++) {
    const friend = await upsert(api, uid('paged'));
    const path = { params: { path: { externalId: friend.externalId } } };
    await api.POST('/members/{externalId}/redeem', { ...path, body: { referralCode: referrer.referralCode } });
    await api.POST('/members/{externalId}/conversion', path);
    friends.push(friend.externalId);
  }
  const friendIds = await Promise.all(friends.map(friendUserId));
  const seen: string[] = [];
  const times: string[] = [];
  let cursor: string | undefined;
  do {
    const page: { items: { id: string; createdAt: string }[]; nextCursor: string | null } = (
      await api.GET('/referrals', { params: { query: { limit: 3, cursor } } })
    ).data!;
    expect(page.items.length).toBeLessThanOrEqual(3);
    for (const r of page.items) {
      seen.push(r.id);
      times.push(r.createdAt);
    }
    cursor = page.nextCursor ?? undefined;
    // Other tests' referrals are newer or older: walk until all four were seen (or the list ends).
  } while (cursor && !friendIds.every((id) => seen.includes(id)) && seen.length < 300);
  expect(new Set(seen).size).toBe(seen.length);
  expect(times.map((t) => Date.parse(t))).toEqual([...times.map((t) => Date.parse(t))].sort((a, b) => b - a));
  for (const id of friendIds) expect(seen).toContain(id);

  const history: string[] = [];
  cursor = undefined;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = (
      await api.GET('/members/{externalId}/quota-history', { params: { path: { externalId: referrer.externalId }, query: { limit: 1, cursor } } })
    ).data!;
    history.push(...page.items.map((g) => g.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // One grant per completed referral (a burst of friends may have been held by the velocity rule).
  const grants = await db.select({ id: schema.quotaGrants.id }).from(schema.quotaGrants).where(eq(schema.quotaGrants.userId, referrer.id));
  expect(grants.length).toBeGreaterThan(0);
  expect([...history].sort()).toEqual(grants.map((g) => String(g.id)).sort());
  expect(history).toEqual([...history].sort((a, b) => Number(b) - Number(a)));
});

test('regenerating through the API: the old code stops working at once', async () => {
  const api = client((await newKey()).key);
  const owner = await upsert(api, uid('owner'));
  const fresh = await api.POST('/members/{externalId}/code', { params: { path: { externalId: owner.externalId } } });
  expect(fresh.data!.referralCode).not.toBe(owner.referralCode);
  const friend = await upsert(api, uid('friend'));
  const stale = await api.POST('/members/{externalId}/redeem', { params: { path: { externalId: friend.externalId } }, body: { referralCode: owner.referralCode } });
  expect(errorCode(stale.error)).toBe('code_not_found');
});

test('GET /api/v1/openapi.json serves the generated document, with this server as its server; /api-reference shows every operation', async () => {
  const response = await http('/api/v1/openapi.json');
  expect(response.status).toBe(200);
  const document = jsonOf(response) as { openapi: string; servers: { url: string }[]; paths: object };
  expect(document.openapi).toBe('3.1.0');
  expect(document.servers[0]!.url).toBe(`${APP}/api/v1`);
  expect(Object.keys(document.paths)).toContain('/members/{externalId}/redeem');
  // The readable reference page shows every operation of the document.
  const reference = await http('/api-reference');
  expect(reference.status).toBe(200);
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, { operationId: string }>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      expect(reference.text).toContain(`id="${operation.operationId}"`);
      expect(reference.text).toContain(`${method.toUpperCase()} /api/v1${path}`);
    }
  }
});

test('an embed token opens its member\'s portal once; it is no portal session, and a portal session is no embed token', async () => {
  const api = client((await newKey()).key);
  const owner = await upsert(api, uid('portal'));
  const minted = await api.POST('/members/{externalId}/embed-token', { params: { path: { externalId: owner.externalId } } });
  const url = new URL(minted.data!.url);
  expect(url.origin + url.pathname).toBe(`${APP}/embed`);
  const token = url.searchParams.get('token')!;
  expect(Date.parse(minted.data!.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);

  const asSession = await http(`/embed/portal?${new URLSearchParams({ session: token })}`);
  expect(asSession.text).toContain('data-testid="portal-expired"');
  const opened = await http(url.pathname + url.search);
  expect(opened.status).toBe(303);
  const session = new URL(opened.headers.get('location')!, APP).searchParams.get('session')!;
  const portal = await http(`/embed/portal?${new URLSearchParams({ session })}`);
  expect(portal.status).toBe(200);
  expect(portal.text).toContain(owner.referralCode);
  expect(portal.headers.get('x-frame-options')).toBeNull();
  expect((await http(`/embed?${new URLSearchParams({ token: session })}`)).status).toBe(401);
  expect((await http(url.pathname + url.search)).status).toBe(401);
});
