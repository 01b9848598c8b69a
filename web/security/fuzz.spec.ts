// A bounded, seeded fuzz of every HTTP body and query of the API and of every
// websocket message: malformed JSON, wrong types, huge strings, unicode,
// `__proto__`/`constructor` keys, SQL-looking strings. Every answer must be a
// success or a typed error of docs/http-api.md ("Errors") (never a 5xx, never `internal`),
// and both servers must still be healthy afterwards. The seed and the counts
// are fixed, so a failure replays exactly.
import { createApiKey, ERROR_CODES } from '@app/common';
import { getUser } from '@app/common/testing';
import { expect, test } from '@playwright/test';
import {
  APP,
  AUTH_SECRET,
  WsClient,
  actionIds,
  formPost,
  setCookieValue,
  staysOnApp,
  expectServersHealthy,
  expectTypedError,
  http,
  jsonOf,
  member,
  seededRandom,
  sessionCookie,
  useDb,
  wsToken,
  type HttpOptions,
  type HttpResponse,
  type Member,
  type Random,
} from './helpers';

const db = useDb();
const SEED = 20_261_126;
/** Cases per entry point: a few hundred each, a few seconds in all on a small machine. */
const CASES = { redeem: 300, regenerate: 150, validate: 250, summary: 150, wsToken: 150, websocket: 400, api: 400 };
/** Requests in flight at once (the machine is small and shared). */
const CONCURRENCY = 4;

interface Corpus {
  own: string;
  other: string;
}

/** Strings that have broken parsers before. */
function interestingStrings({ own, other }: Corpus): string[] {
  return [
    '', ' ', '\t\r\n', 'ref-', 'REF-', other, other.toUpperCase(), `  ${other}\n`, own,
    `${APP}/referrals/${other}`, `/referrals/${other}/`, `https://evil.com/x?referral_code=${other}`, `?REFERRAL_CODE=${other}`,
    'ref-00000000-0000-4000-8000-000000000000', 'ref-zzzzzzzz-0000-4000-8000-000000000000', `${other}x`, other.replace('ref-', 'ref_'),
    "' OR '1'='1", "'; DROP TABLE \"user\"; --", "ref-00000000-0000-4000-8000-000000000000' OR 1=1 --",
    '1; SELECT pg_sleep(10)', '$1', '%s%s%s%n', '\\x00', "E'\\\\x00'", '/**/UNION/**/SELECT/**/email/**/FROM/**/"user"',
    '\u0000', 'ref-\u0000', `${other}\u0000`, '\ud800', '\udfff', `${other}\ud800`, '😀'.repeat(50), 'ｒｅｆ－１２３', '\u202eref-',
    'e\u0301', '𝕣𝕖𝕗-', 'İıß', '\u2028\u2029', '\ufeff', '\uffff',
    '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__',
    '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '../../../etc/passwd', 'javascript:alert(1)', '%', '%E0%A4%A', '%00', '%2e%2e%2f',
    'a'.repeat(2048), 'a'.repeat(2049), 'ref-'.repeat(600), `${other}${' '.repeat(3000)}`, `${APP}/referrals/${'a'.repeat(2030)}`, 'x'.repeat(15_000),
  ];
}

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyz0123456789-',
  ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  '\u0000\u0001\u0007\b\t\n\v\f\r\u001b\u007f',
  'éßøÆ中文日本語한국어العربيةעִבְרִית',
  '😀👍🏽🇫🇷\ud800\udbff\udc00\u200b\u200d\ufeff',
];

function randomString(rng: Random, maxLength = 80): string {
  let s = '';
  const length = rng.int(0, maxLength);
  for (let i = 0; i < length; i++) {
    const alphabet = rng.pick(ALPHABETS);
    s += alphabet[rng.int(0, alphabet.length - 1)];
  }
  return s;
}

/** A real code (the user's own, or another member's) written the ways people paste it. */
function codeVariant(rng: Random, { own, other }: Corpus): string {
  const code = rng.chance(0.75) ? other : own;
  return rng.pick([code, code.toUpperCase(), ` ${code}\t`, `${APP}/referrals/${code}`, `${APP}/referrals/${code.toUpperCase()}/`, `${APP}/onboard?referral_code=${code}`]);
}

function fuzzString(rng: Random, corpus: Corpus): string {
  const roll = rng.next();
  if (roll < 0.15) return codeVariant(rng, corpus);
  return roll < 0.65 ? rng.pick(interestingStrings(corpus)) : randomString(rng);
}

const NUMBERS = [0, -0, 1, -1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, 5e-324, 0.1];
const KEYS = ['referralCode', 'code', 'type', 'id', 'token', 'action', '__proto__', 'constructor', 'prototype', 'userId', 'quota'];

/** Any JSON value; objects are prototype-less so that a `__proto__` key is an own key that JSON.stringify writes out. */
function fuzzValue(rng: Random, corpus: Corpus, depth = 3): unknown {
  switch (rng.int(0, depth > 0 ? 7 : 4)) {
    case 0:
    case 1:
      return fuzzString(rng, corpus);
    case 2:
      return rng.pick(NUMBERS);
    case 3:
      return rng.chance(0.5);
    case 4:
      return null;
    case 5:
      return Array.from({ length: rng.int(0, 4) }, () => fuzzValue(rng, corpus, depth - 1));
    default: {
      const object = Object.create(null) as Record<string, unknown>;
      for (let i = rng.int(0, 4); i > 0; i--) object[rng.chance(0.8) ? rng.pick(KEYS) : randomString(rng, 12)] = fuzzValue(rng, corpus, depth - 1);
      return object;
    }
  }
}

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Bodies that are not (quite) JSON, or are JSON meant to confuse. */
const RAW_BODIES: (string | Uint8Array)[] = [
  '{', '}', '{"referralCode":', '{"referralCode":"ref-}', 'null', 'true', '0', '-1', '[]', '""', '"ref-"', 'undefined', 'NaN', 'Infinity',
  '{referralCode: "x"}', "{'referralCode':'x'}", '{"referralCode":"x",}', '\ufeff{"referralCode":"x"}', '{"referralCode":"x"}garbage',
  '{"referralCode":"x"}{"referralCode":"y"}', '{"referralCode":"a","referralCode":"b"}', '{"__proto__":{"referralCode":"x"}}',
  '{"__proto__":{"isAdmin":true},"referralCode":"x"}', '{"constructor":{"prototype":{"isAdmin":true}}}', '{"referralCode":{"__proto__":null}}',
  '{"referralCode":"\\ud800"}', '{"referralCode":"\\u0000"}', '{"referralCode":1e999}', '{"referralCode":"x\\', ' '.repeat(100), '\u0000',
  nested(5000, '[', ']'), nested(3000, '{"a":', '}'), `{"referralCode":${nested(2000, '[', ']', '"x"')}}`,
  new Uint8Array([0xff, 0xfe, 0xfd]), new Uint8Array([0x7b, 0x22, 0xc0, 0x80, 0x22, 0x7d]), new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  JSON.stringify({ referralCode: 'x'.repeat(17 * 1024) }), 'x'.repeat(1024 * 1024),
];

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', '',
];

function fuzzBody(rng: Random, corpus: Corpus): { body: string | Uint8Array; contentType: string } {
  const contentType = rng.chance(0.7) ? 'application/json' : rng.pick(CONTENT_TYPES);
  const roll = rng.next();
  if (roll < 0.35) return { body: JSON.stringify({ referralCode: fuzzString(rng, corpus) }), contentType };
  if (roll < 0.55) {
    const object = Object.create(null) as Record<string, unknown>;
    object.referralCode = fuzzValue(rng, corpus);
    if (rng.chance(0.5)) object[rng.pick(KEYS)] = fuzzValue(rng, corpus);
    return { body: JSON.stringify(object), contentType };
  }
  if (roll < 0.75) return { body: JSON.stringify(fuzzValue(rng, corpus)) ?? 'null', contentType };
  return { body: rng.pick(RAW_BODIES), contentType };
}

function contentHeaders(contentType: string): Record<string, string> {
  return contentType ? { 'content-type': contentType } : {};
}

/** A body that arrives in chunks with no Content-Length, so the size cap has to count while reading. */
function streamed(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new TextEncoder().encode(sent === 0 ? '{"referralCode":"' : 'x'.repeat(4096));
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

/** Cookies a client might send instead of (or beside) a session. */
async function fuzzCookie(rng: Random, valid: string): Promise<string | undefined> {
  switch (rng.int(0, 9)) {
    case 0:
      return undefined;
    case 1:
      return `next-auth.session-token=${randomString(rng, 200).replace(/[^\w.~+/=-]/g, 'a')}`;
    case 2:
      return `${valid}; ${valid}x`;
    case 3:
      return `next-auth.session-token.0=${valid.split('=')[1]!.slice(0, 100)}; next-auth.session-token.1=${valid.split('=')[1]!.slice(100)}`;
    case 4:
      return `next-auth.session-token=${'A'.repeat(6000)}`;
    case 5:
      return await sessionCookie({ id: rng.pick(["' OR 1=1 --", '__proto__', 'x'.repeat(3000), '😀', '00000000-0000-4000-8000-000000000000']) });
    case 6:
      return `__proto__=x; constructor=y; ${valid}`;
    default:
      return valid;
  }
}

function fuzzQuery(rng: Random, corpus: Corpus): string {
  const roll = rng.next();
  const ascii = (s: string) => (s.length > 2500 ? s.slice(0, 2500) : s);
  if (roll < 0.55) return `?${new URLSearchParams({ code: ascii(fuzzString(rng, corpus)) })}`;
  if (roll < 0.75) {
    return rng.pick([
      '', '?', '?code', '?code=', '?=x', '?code=%', '?code=%E0%A4%A', '?code=%00', '?code=%uD800', '?code=%ED%A0%80', '?code[]=x',
      '?code[__proto__]=x', '?__proto__[code]=x', '?__proto__=x&code=x', '?constructor=x', `?code=a&code=${corpus.other}`,
      `?code=${corpus.other}&code=a`, '?CODE=x', '?code=+++', '?code=%2B', '?code=%0d%0aSet-Cookie:%20x=y', '?&&&&', '?code=x#frag',
    ]);
  }
  const params = new URLSearchParams();
  for (let i = rng.int(1, 5); i > 0; i--) params.append(rng.chance(0.5) ? rng.pick(KEYS) : randomString(rng, 10), ascii(fuzzString(rng, corpus)).slice(0, 500));
  return `?${params}`;
}

/** A success (a JSON object without `error`) or a typed error; never a 5xx. */
function expectSafeAnswer(response: HttpResponse, context: string) {
  expect(response.status, `${context} → ${response.status} ${response.text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    expectTypedError(response, undefined, context);
    return;
  }
  expect(response.status, context).toBe(200);
  const body = jsonOf(response);
  expect(typeof body === 'object' && body !== null && !Array.isArray(body) && !('error' in body), `${context} → ${response.text.slice(0, 300)}`).toBe(true);
}

/** Runs `count` cases, CONCURRENCY at a time; every case builds its input from the one seeded source, in order. */
async function runCases(count: number, makeCase: (i: number) => Promise<{ path: string; options: HttpOptions; label: string }>) {
  const statuses = new Map<number, number>();
  for (let start = 0; start < count; start += CONCURRENCY) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + CONCURRENCY); i++) batch.push(await makeCase(i));
    await Promise.all(
      batch.map(async ({ path, options, label }) => {
        const response = await http(path, options);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expectSafeAnswer(response, label);
      }),
    );
  }
  return statuses;
}

function describeBody(body: string | Uint8Array): string {
  const text = typeof body === 'string' ? body : `bytes[${[...body].join(',')}]`;
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…(${text.length})` : text);
}

let referrer: Member;
let fuzzer: Member;
let corpus: Corpus;

test.beforeAll(async () => {
  referrer = await member(db, { name: 'Fuzz Referrer' });
  fuzzer = await member(db, { name: 'Fuzz User' });
  corpus = { own: fuzzer.user.referralCode, other: referrer.user.referralCode };
});

test.describe.configure({ timeout: 90_000 });

test.describe('HTTP', () => {
  test(`POST /api/referrals: ${CASES.redeem} fuzzed bodies get a typed answer, never a 5xx`, async () => {
    const rng = seededRandom(SEED + 1);
    const statuses = await runCases(CASES.redeem, async (i) => {
      const { body, contentType } = fuzzBody(rng, corpus);
      const cookie = await fuzzCookie(rng, fuzzer.cookie);
      return {
        path: '/api/referrals',
        options: { method: 'POST', origin: APP, cookie, body, headers: contentHeaders(contentType) },
        label: `#${i} POST /api/referrals ${contentType} ${describeBody(body)} cookie=${cookie?.slice(0, 60)}`,
      };
    });
    for (const [label, body] of [['streamed 40 KiB', streamed(40 * 1024)], ['streamed 8 KiB', streamed(8 * 1024)]] as const) {
      const response = await fetch(`${APP}/api/referrals`, {
        method: 'POST',
        headers: { origin: APP, cookie: fuzzer.cookie, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      const text = await response.text();
      expectSafeAnswer({ status: response.status, headers: response.headers, text, cookies: [] }, label);
    }
    // The fuzz reached the operation itself, not only the parsers.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 409, 422]));
    const user = await getUser(db, fuzzer.user.id);
    expect(user.quota).toBe(1500);
    await expectServersHealthy();
  });

  test(`POST /api/referrals/code: ${CASES.regenerate} fuzzed requests get a typed answer, never a 5xx`, async () => {
    const rng = seededRandom(SEED + 2);
    const statuses = await runCases(CASES.regenerate, async (i) => {
      const { body, contentType } = fuzzBody(rng, corpus);
      const cookie = await fuzzCookie(rng, fuzzer.cookie);
      return {
        path: `/api/referrals/code${rng.chance(0.3) ? fuzzQuery(rng, corpus) : ''}`,
        options: { method: 'POST', origin: APP, cookie, body, headers: contentHeaders(contentType) },
        label: `#${i} POST /api/referrals/code ${describeBody(body)} cookie=${cookie?.slice(0, 60)}`,
      };
    });
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 401, 429]));
    await expectServersHealthy();
  });

  test(`GET /api/referrals/validate: ${CASES.validate} fuzzed queries get a typed answer, never a 5xx`, async () => {
    const rng = seededRandom(SEED + 3);
    const statuses = await runCases(CASES.validate, async (i) => {
      const query = fuzzQuery(rng, corpus);
      // One client address per case: this fuzzes the parser, not the rate limit (rate-limit.spec.ts does that).
      return {
        path: `/api/referrals/validate${query}`,
        options: { headers: { 'x-forwarded-for': `10.77.${i >> 8}.${i & 255}` }, cookie: rng.chance(0.3) ? fuzzer.cookie : undefined },
        label: `#${i} GET /api/referrals/validate${query.slice(0, 150)}`,
      };
    });
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 404]));
    await expectServersHealthy();
  });

  for (const [path, count] of [['/api/referrals', CASES.summary], ['/api/ws-token', CASES.wsToken]] as const) {
    test(`GET ${path}: ${count} fuzzed queries and cookies get a typed answer, never a 5xx`, async () => {
      const rng = seededRandom(SEED + path.length);
      const statuses = await runCases(count, async (i) => {
        const query = rng.chance(0.7) ? fuzzQuery(rng, corpus) : '';
        const cookie = await fuzzCookie(rng, fuzzer.cookie);
        return { path: `${path}${query}`, options: { cookie }, label: `#${i} GET ${path}${query.slice(0, 150)} cookie=${cookie?.slice(0, 60)}` };
      });
      expect([...statuses.keys()].sort()).toEqual([200, 401]);
      await expectServersHealthy();
    });
  }
});

/** Path segments where the server API wants an externalId: real ones, and what breaks routers. */
function fuzzExternalId(rng: Random, known: string): string {
  if (rng.chance(0.4)) return known;
  const raw = rng.chance(0.5) ? rng.pick(['%20', '%2F', 'a%00b', 'a b', '__proto__', 'constructor', 'x'.repeat(201), 'x'.repeat(3000), '😀', '%ED%A0%80', "' OR 1=1 --"]) : randomString(rng, 40);
  // An empty, `.` or `..` segment is the URL's (normalised, or a redirect to the path without it), not the API's.
  if (/^\.{0,2}$/.test(raw)) return `${raw}x`;
  return /^[\x21-\x7e]*$/.test(raw) && !raw.includes('/') && !raw.includes('?') && !raw.includes('#') ? raw : encodeURIComponent(raw.replace(/[\ud800-\udfff]/g, '\ufffd'));
}

test.describe('server API', () => {
  test(`/api/v1: ${CASES.api} fuzzed paths, bodies, keys and Idempotency-Keys get a typed answer, never a 5xx`, async () => {
    const made = await createApiKey({ db, input: { name: 'fuzz', scopes: ['read', 'write'], rateLimitPerMinute: 100_000 }, actor: { id: null, email: 'operator@example.test' } });
    if (!made.ok) throw new Error(made.message);
    const known = `fuzz-${referrer.user.id}`;
    const put = await http(`/api/v1/members/${known}`, { method: 'PUT', headers: { authorization: `Bearer ${made.key}` }, json: { name: 'Fuzz member' } });
    expect(put.status, put.text).toBe(200);
    const rng = seededRandom(SEED + 9);
    const operations = [
      { method: 'PUT', path: (id: string) => `/api/v1/members/${id}`, body: true },
      { method: 'GET', path: (id: string) => `/api/v1/members/${id}`, body: false },
      { method: 'POST', path: (id: string) => `/api/v1/members/${id}/redeem`, body: true },
      { method: 'POST', path: (id: string) => `/api/v1/members/${id}/conversion`, body: false },
      { method: 'POST', path: (id: string) => `/api/v1/members/${id}/code`, body: false },
      { method: 'GET', path: (id: string) => `/api/v1/members/${id}/quota-history`, body: false },
      { method: 'GET', path: () => '/api/v1/referrals', body: false },
    ];
    const statuses = await runCases(CASES.api, async (i) => {
      const op = rng.pick(operations);
      const headers: Record<string, string> = {};
      const auth = rng.int(0, 9);
      if (auth > 1) headers.authorization = `Bearer ${made.key}`;
      else if (auth === 1) headers.authorization = rng.pick([`Bearer ${made.key}x`, 'Bearer', `bearer  ${made.key}`, `Bearer rsk_${randomString(rng, 30).replace(/[^\x21-\x7e]/g, '')}`, `Token ${made.key}`]);
      if (rng.chance(0.4)) headers['idempotency-key'] = rng.chance(0.7) ? `k-${rng.int(0, 20)}` : randomString(rng, 300).replace(/[^\x20-\x7e]/g, '');
      const query = op.method === 'GET' && rng.chance(0.6) ? fuzzQuery(rng, corpus).replace('code=', rng.pick(['cursor=', 'limit=', 'status='])) : '';
      const path = op.path(fuzzExternalId(rng, known)) + query;
      const options: HttpOptions = { method: op.method, headers };
      if (op.body || (op.method !== 'GET' && rng.chance(0.5))) {
        const { body, contentType } = rng.chance(0.5)
          ? { body: JSON.stringify(fuzzValue(rng, corpus)) ?? 'null', contentType: 'application/json' }
          : fuzzBody(rng, corpus);
        options.body = body;
        Object.assign(headers, contentHeaders(contentType));
      }
      return { path, options, label: `#${i} ${op.method} ${path.slice(0, 200)} ${describeBody(String(options.body ?? ''))}` };
    });
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    await expectServersHealthy();
  });
});

test.describe('forms', () => {
  /** Names a person could type or paste, and ones a script could post. */
  function names(rng: Random): string[] {
    const fixed = ['Ada', ' Ada ', 'a\u0000b', '\u0000', 'tab\there', 'line\nbreak', 'bell\u0007', 'del\u007f', '\u0085next', 'x'.repeat(100), 'x'.repeat(101), '😀'.repeat(30), '\ud800', 'e\u0301', '\u202eRTL', "Robert'); DROP TABLE \"user\";--", '<img src=x onerror=alert(1)>', '', '   '];
    return [...fixed, ...Array.from({ length: 20 }, () => randomString(rng, 120))];
  }

  test('the onboarding form: fuzzed names get the form back with a problem, or sign up; never a 5xx', async () => {
    const rng = seededRandom(SEED + 5);
    const ids = await actionIds('/onboard', (await member(db, { onboardedAt: null })).cookie);
    for (const [i, name] of names(rng).entries()) {
      const newcomer = await member(db, { onboardedAt: null });
      const referralCode = rng.chance(0.5) ? fuzzString(rng, corpus) : undefined;
      const fields: Record<string, string> = { name, terms: 'on', ...(referralCode === undefined ? {} : { referralCode }) };
      const response = await http('/onboard', { origin: APP, cookie: newcomer.cookie, body: formPost(ids.completeSignUp!, fields) });
      const label = `#${i} name=${JSON.stringify(name.slice(0, 40))} referralCode=${JSON.stringify(referralCode?.slice(0, 40))}`;
      expect(response.status, `${label}: ${response.text.slice(0, 200)}`).toBe(303);
      const target = response.headers.get('location') ?? '';
      expect(staysOnApp(target), `${label} → ${target}`).toBe(true);
      expect(new URL(target, APP).pathname, label).toMatch(/^\/onboard(\/welcome)?$/);
    }
    await expectServersHealthy();
  });

  test('dev-login: fuzzed names and e-mails sign in or are refused; never a 5xx, never a database error in the URL', async () => {
    const rng = seededRandom(SEED + 6);
    const emails = ['ok-{n}@example.test', 'n\u0000ul-{n}@example.test', '{n}', '', 'x'.repeat(300), "'; drop table \"user\";--@example.test", '😀-{n}@example.test'];
    for (const [i, name] of names(rng).entries()) {
      const csrf = await http('/api/auth/csrf');
      const csrfToken = (JSON.parse(csrf.text) as { csrfToken: string }).csrfToken;
      const cookie = csrf.cookies.map((c) => c.split(';')[0]).join('; ');
      const email = rng.pick(emails).replace('{n}', `fuzz${i}`);
      const response = await http('/api/auth/callback/dev-login', { origin: APP, cookie, body: new URLSearchParams({ csrfToken, email, name }) });
      const label = `#${i} email=${JSON.stringify(email.slice(0, 40))} name=${JSON.stringify(name.slice(0, 40))}`;
      expect(response.status, `${label}: ${response.text.slice(0, 200)}`).toBe(302);
      const target = decodeURIComponent(response.headers.get('location') ?? '');
      expect(staysOnApp(target), `${label} → ${target}`).toBe(true);
      expect(target, label).not.toMatch(/query|insert|select|params|postgres|stack/i);
      if (!target.includes('/api/auth/error')) expect(setCookieValue(response.cookies, 'next-auth.session-token'), label).toBeTruthy();
    }
    await expectServersHealthy();
  });
});

test.describe('websocket', () => {
  const ACTION_TYPES = ['referral-code/generate', 'referral-code/validate', 'referral/redeem'];

  /** One fuzzed client message: what to send, and what it is allowed to cause. */
  function fuzzMessage(rng: Random, userId: string): { data: string | Buffer; kind: 'init' | 'action' | 'other' | 'huge'; id: string | null } {
    const roll = rng.next();
    if (roll < 0.03) return { data: JSON.stringify({ id: 'huge', type: 'action', action: { type: 'referral/redeem', code: 'x'.repeat(17 * 1024) } }), kind: 'huge', id: null };
    if (roll < 0.08) return { data: Buffer.from(randomString(rng, 40)), kind: 'other', id: null };
    if (roll < 0.2) {
      return {
        data: rng.pick([
          '', ' ', '{', 'null', '[]', '"init"', '1', 'undefined', '{"type":"action"', '{"type":"init","token":', '\u0000', randomString(rng),
          '{"__proto__":{"type":"init"},"token":"x"}', '{"type":"action","id":"p","action":{"__proto__":{"type":"referral-code/generate"}}}',
          '{"type":"action","id":"c","constructor":{"prototype":{"userId":"x"}},"action":{"type":"referral-code/validate","code":"x"}}',
          nested(4000, '[', ']'),
        ]),
        kind: 'other',
        id: null,
      };
    }
    if (roll < 0.32) {
      const token = rng.pick<unknown>([
        wsToken(userId, 'another-secret-0123456789abcdef'), wsToken(userId, AUTH_SECRET, -1), fuzzValue(rng, corpus), fuzzString(rng, corpus),
        'x'.repeat(3000), `${wsToken(userId)}x`, wsToken(userId),
      ]);
      return { data: JSON.stringify({ type: 'init', token }), kind: 'init', id: null };
    }
    if (roll < 0.85) {
      const action = Object.create(null) as Record<string, unknown>;
      action.type = rng.chance(0.85) ? rng.pick(ACTION_TYPES) : fuzzValue(rng, corpus, 1);
      if (rng.chance(0.85)) action.code = rng.chance(0.7) ? fuzzString(rng, corpus) : fuzzValue(rng, corpus, 2);
      if (rng.chance(0.2)) action[rng.pick(KEYS)] = fuzzValue(rng, corpus, 1);
      const id = rng.chance(0.85) ? `m${rng.int(0, 1e6)}` : fuzzValue(rng, corpus, 1);
      const message = Object.create(null) as Record<string, unknown>;
      Object.assign(message, { id, type: rng.chance(0.95) ? 'action' : fuzzValue(rng, corpus, 1), action });
      if (rng.chance(0.15)) message[rng.pick(KEYS)] = fuzzValue(rng, corpus, 1);
      const finalId = message.id;
      const validId = typeof finalId === 'string' && finalId.length >= 1 && finalId.length <= 100;
      return { data: JSON.stringify(message), kind: message.type === 'action' ? 'action' : 'other', id: validId ? finalId : null };
    }
    return { data: JSON.stringify(fuzzValue(rng, corpus)) ?? 'null', kind: 'other', id: null };
  }

  test(`${CASES.websocket} fuzzed messages (before and after init) get a typed answer or the protocol's close, never a crash`, async () => {
    const rng = seededRandom(SEED + 4);
    let client: WsClient | null = null;
    let initialised = false;
    let sent = 0;
    const closes = new Map<number, number>();
    const answers = new Map<string, number>();

    for (let i = 0; i < CASES.websocket; i++) {
      // A fresh connection every 12 messages stays inside the per-connection flood limit (burst 20).
      if (!client || !client.open || sent >= 12) {
        client?.close();
        client = await WsClient.connect();
        sent = 0;
        initialised = rng.chance(0.7);
        if (initialised) {
          client.send({ type: 'init', token: wsToken(fuzzer.user.id) });
          const ready = await client.next();
          expect(ready.kind === 'message' && ready.message?.type, JSON.stringify(ready)).toBe('ready');
        }
      }
      const message = fuzzMessage(rng, fuzzer.user.id);
      const label = `#${i} (${initialised ? 'after init' : 'before init'}) ${describeBody(typeof message.data === 'string' ? message.data : new Uint8Array(message.data))}`;
      client.send(message.data);
      sent++;
      const event = await client.next(10_000);
      expect(event.kind, `${label}: no answer`).not.toBe('timeout');
      if (event.kind === 'close') {
        closes.set(event.code, (closes.get(event.code) ?? 0) + 1);
        // Over maxPayload (16 KiB, however the message was made) closes with 1009.
        if (Buffer.byteLength(message.data) > 16 * 1024) expect(event.code, label).toBe(1009);
        else {
          // Only a bad token closes (4401), and only before init.
          expect(event.code, label).toBe(4401);
          expect(message.kind === 'init' && !initialised, label).toBe(true);
        }
        client = null;
        continue;
      }
      if (event.kind !== 'message') continue;
      expect(event.message, `${label}: not a protocol message: ${event.raw.slice(0, 200)}`).not.toBeNull();
      const answer = event.message!;
      answers.set(answer.type === 'error' ? answer.error.code : answer.type, (answers.get(answer.type === 'error' ? answer.error.code : answer.type) ?? 0) + 1);
      if (answer.type === 'ready') {
        expect(message.kind === 'init' && !initialised, `${label}: unexpected ready`).toBe(true);
        initialised = true;
        continue;
      }
      expect(['ack', 'error'], label).toContain(answer.type);
      if (answer.type === 'error') {
        expect(ERROR_CODES, label).toContain(answer.error.code);
        expect(answer.error.code, `${label}: ${answer.error.message}`).not.toBe('internal');
        // rate_limited is fine for a regeneration (3 a day); without an id it is the flood limit: the fuzz went too fast.
        if (answer.error.code === 'rate_limited') expect(answer.id, `${label}: flood limit reached`).not.toBeNull();
        if (!initialised && message.kind === 'action' && message.id) expect(answer.error.code, label).toMatch(/^(unauthenticated|invalid_input)$/);
      }
      if (answer.type === 'ack') expect(initialised, `${label}: served before init`).toBe(true);
      if (message.kind === 'action' && message.id !== null && (answer.type === 'ack' || answer.type === 'error')) expect(answer.id, label).toBe(message.id);
    }
    client?.close();

    expect(answers.get('ack'), 'some actions were served').toBeGreaterThan(0);
    expect(answers.get('invalid_input'), 'some messages were refused by the schema').toBeGreaterThan(0);
    expect(closes.get(4401), 'some bad tokens were tried').toBeGreaterThan(0);
    await expectServersHealthy();
    const after = await WsClient.ready(fuzzer.user.id);
    after.send({ id: 'after', type: 'action', action: { type: 'referral-code/validate', code: referrer.user.referralCode } });
    const event = await after.next();
    expect(event.kind === 'message' && event.message?.type, JSON.stringify(event)).toBe('ack');
    after.close();
  });
});
