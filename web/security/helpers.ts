// Shared by the security specs: the servers e2e/run.ts started, members made
// straight in the database with real session cookies, an HTTP client that
// shows redirects instead of following them, a websocket client, the typed
// error check of docs/http-api.md ("Errors"), a seeded random source, and a browser guard
// that keeps every request on loopback.
import { createWsToken, ERROR_CODES, HTTP_STATUS_BY_ERROR_CODE, serverMessageSchema, type ServerMessage } from '@app/common';
import { closeDb, createDb, type Db, type schema } from '@app/common/db';
import { createUser } from '@app/common/testing';
import { expect, test, type BrowserContext } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import WebSocket from 'ws';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`pnpm --filter @app/web security\` (web/e2e/run.ts)`);
  return value;
}

/** The web app's origin, e.g. http://localhost:41234. */
export const APP = new URL(required('E2E_BASE_URL')).origin;
export const APP_HOST = new URL(APP).host;
export const BACKEND_PORT = Number(required('E2E_BACKEND_PORT'));
export const WS_URL = `ws://127.0.0.1:${BACKEND_PORT}/ws`;
export const BACKEND_HEALTH_URL = `http://127.0.0.1:${BACKEND_PORT}/healthz`;
export const AUTH_SECRET = required('E2E_AUTH_SECRET');
/** The next-auth session cookie's name (APP_URL is http in the suite). */
export const SESSION_COOKIE = 'next-auth.session-token';

/** A pool on the suite's database, closed after the spec file's tests. */
export function useDb(): Db {
  const db = createDb(required('DATABASE_URL'), { max: 4 });
  test.afterAll(() => closeDb(db));
  return db;
}

/** A real next-auth session cookie (the JWT next-auth itself sets), as a `Cookie` header value. */
export async function sessionCookie(
  user: { id: string; name?: string | null; email?: string | null },
  options: { secret?: string; maxAge?: number } = {},
): Promise<string> {
  const token = await encode({
    token: { sub: user.id, name: user.name ?? null, email: user.email ?? null },
    secret: options.secret ?? AUTH_SECRET,
    maxAge: options.maxAge,
  });
  return `${SESSION_COOKIE}=${token}`;
}

type User = schema.User;

export interface Member {
  user: User;
  cookie: string;
}

/** A new user with a session cookie; onboarded (a member) unless `onboardedAt: null` is given. */
export async function member(db: Db, overrides: Partial<schema.NewUser> = {}): Promise<Member> {
  const user = await createUser(db, { onboardedAt: new Date(), ...overrides });
  return { user, cookie: await sessionCookie(user) };
}

export interface HttpOptions {
  method?: string;
  cookie?: string;
  /** The Origin header; none when omitted. */
  origin?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is. */
  body?: string | Uint8Array | FormData | URLSearchParams;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Every Set-Cookie header. */
  cookies: string[];
}

let clients = 0;

/**
 * An address of its own for one simulated client (TEST-NET-2, 198.18.0.0/15):
 * the suite's web server trusts one proxy (TRUST_PROXY=1, e2e/run.ts), and
 * this is what that proxy would write in X-Forwarded-For.
 */
export function clientAddress(): string {
  clients++;
  // A /24 of its own too, so that no two clients share a network (the same_network signal).
  return `198.18.${clients % 250}.${(Math.floor(clients / 250) % 250) + 1}`;
}

/**
 * One request to the web app (or any URL), redirects not followed. Each
 * request comes from a client of its own unless `headers` names one
 * (`x-forwarded-for`): per-client limits are tested where they are meant to be.
 */
export async function http(pathOrUrl: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const headers = new Headers(options.headers);
  if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', clientAddress());
  if (options.cookie) headers.set('cookie', options.cookie);
  if (options.origin !== undefined) headers.set('origin', options.origin);
  let body: BodyInit | undefined = options.body as BodyInit | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const response = await fetch(new URL(pathOrUrl, APP), {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, headers: response.headers, text: await response.text(), cookies: response.headers.getSetCookie() };
}

/** The server action ids of a page's forms, by a field or button each form has. */
export async function actionIds(path: string, cookie: string): Promise<Record<string, string>> {
  const page = await http(path, { cookie });
  expect(page.status, `${path}: ${page.status}`).toBe(200);
  const ids: Record<string, string> = {};
  for (const [form] of page.text.matchAll(/<form\b[\s\S]*?<\/form>/g)) {
    const id = /name="\$ACTION_ID_([0-9a-f]+)"/.exec(form)?.[1];
    if (!id) continue;
    if (form.includes('name="referralCode"') && form.includes('Apply invite')) ids.redeem = id;
    if (form.includes('Get a new code')) ids.regenerate = id;
    if (form.includes('name="terms"')) ids.completeSignUp = id;
  }
  return ids;
}

/** A server action posted the way a plain HTML form (no JavaScript) posts it. */
export function formPost(id: string, fields: Record<string, string>) {
  const body = new FormData();
  body.set(`$ACTION_ID_${id}`, '');
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return body;
}

/** The JSON body of a response (fails the test when it is not JSON). */
export function jsonOf(response: HttpResponse): unknown {
  expect(response.headers.get('content-type') ?? '', `not JSON: ${response.status} ${response.text.slice(0, 200)}`).toContain('application/json');
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    throw new Error(`not JSON: ${response.status} ${response.text.slice(0, 200)}`);
  }
}

/**
 * The response is an error of docs/http-api.md ("Errors"): `{ error: { code, message } }`
 * with a code of the closed set, the status of that code, a plain message
 * and no stack trace. Returns the code.
 */
export function expectTypedError(response: HttpResponse, expected?: (typeof ERROR_CODES)[number], context = ''): string {
  const body = jsonOf(response) as { error?: { code?: unknown; message?: unknown } };
  const where = `${context} → ${response.status} ${response.text.slice(0, 300)}`;
  expect(Object.keys(body as object), where).toEqual(['error']);
  const code = body.error?.code;
  expect(ERROR_CODES as readonly unknown[], where).toContain(code);
  expect(typeof body.error?.message, where).toBe('string');
  expect(String(body.error?.message), where).not.toMatch(/\n\s+at |node_modules|Error:/);
  expect(response.status, where).toBe(HTTP_STATUS_BY_ERROR_CODE[code as keyof typeof HTTP_STATUS_BY_ERROR_CODE]);
  if (expected) expect(code, where).toBe(expected);
  if (code === 'rate_limited') expect(response.headers.get('retry-after'), where).toMatch(/^\d+$/);
  return code as string;
}

/** True when `url` (resolved against `base` the way a browser would) stays on the app's origin, over http(s). */
export function staysOnApp(url: string, base: string = APP): boolean {
  try {
    const target = new URL(url, base);
    return target.origin === APP && (target.protocol === 'http:' || target.protocol === 'https:');
  } catch {
    return false;
  }
}

/** The value of one cookie among Set-Cookie headers, decoded; null when not set. */
export function setCookieValue(cookies: string[], name: string): string | null {
  for (const header of cookies) {
    const [pair] = header.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq).trim() === name) return decodeURIComponent(pair!.slice(eq + 1));
  }
  return null;
}

/** Every URL an HTML page links, posts or loads (href, action, src, formaction), entities decoded. */
export function urlsInHtml(html: string): string[] {
  const urls: string[] = [];
  for (const match of html.matchAll(/\s(?:href|action|src|formaction)="([^"]*)"/gi)) {
    urls.push(match[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  return urls;
}

/**
 * The open-redirect payloads: other hosts written every way a browser or URL
 * parser might read as absolute, script URLs, encoded and whitespace-split
 * variants, and the app's own host used as userinfo or as a sub-domain.
 */
export function redirectPayloads(): string[] {
  return [
    '//evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '\\/evil.com',
    '///evil.com',
    '/\\/evil.com',
    ' //evil.com',
    'https://evil.com',
    'http://evil.com/path?x=1',
    'HTTPS://EVIL.COM',
    'https:evil.com',
    'https:/evil.com',
    'http:\\\\evil.com',
    '//evil.com/%2F..',
    '//evil。com',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.domain)',
    'javascript://%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '%2F%2Fevil.com',
    '%2f%2fevil.com',
    '/%2F%2Fevil.com',
    '%5C%5Cevil.com',
    '/%5Cevil.com',
    '%252F%252Fevil.com',
    `http://${APP_HOST}@evil.com`,
    `${APP}@evil.com/`,
    `http://${APP_HOST}.evil.com`,
    `http://evil.com\\@${APP_HOST}`,
    `http://evil.com#${APP}`,
    `http://evil.com?${APP}`,
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    '\tjavascript:alert(1)',
    'ht\ttps://evil.com',
    'https\n://evil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    `/onboard?referral_code=//evil.com`,
    `/onboard?referral_code=https://evil.com/referrals/ref-00000000-0000-4000-8000-000000000000`,
  ];
}

/** The payloads the issue names, for the slower browser flows. */
export const NAMED_PAYLOADS = [
  '//evil.com',
  '/\\evil.com',
  'https://evil.com',
  'javascript:alert(1)',
  '%2F%2Fevil.com',
  `http://${APP_HOST}@evil.com`,
  '\\\\evil.com',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
];

function isLoopback(url: string): boolean {
  try {
    const { hostname, protocol } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
    return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
  } catch {
    return false;
  }
}

/**
 * Keeps a browser context on loopback: every request off loopback is aborted
 * and recorded in the returned list, so a test can assert that nothing ever
 * tried to leave the app (and the machine).
 */
export async function loopbackOnly(context: BrowserContext): Promise<string[]> {
  const offsite: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    offsite.push(url);
    return route.abort('blockedbyclient');
  });
  return offsite;
}

/**
 * An attacker's site on loopback: another origin (and site) than the app's
 * `localhost`, served by a real server, so the browser treats it as it would
 * a foreign site. (A page fulfilled for a made-up public host would be
 * stopped from reaching localhost by Chrome's private-network rules, which
 * would hide whether the app's own protections work.)
 */
export async function attackerSite(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A websocket token for `userId`, as GET /api/ws-token would give. */
export function wsToken(userId: string, secret = AUTH_SECRET, ttlSeconds?: number): string {
  return createWsToken({ userId, secret, ttlSeconds }).token;
}

export type WsEvent =
  | { kind: 'message'; raw: string; message: ServerMessage | null }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'timeout' };

/** A websocket client that queues what the server says, for request/answer style tests. */
export class WsClient {
  private events: WsEvent[] = [];
  private waiters: ((event: WsEvent) => void)[] = [];
  /** Every push (quota-updated, referral-updated) received, checked against the protocol. */
  readonly pushes: ServerMessage[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const raw = String(data);
      let message: ServerMessage | null = null;
      try {
        const parsed = serverMessageSchema.safeParse(JSON.parse(raw));
        message = parsed.success ? parsed.data : null;
      } catch {
        message = null;
      }
      if (message && (message.type === 'quota-updated' || message.type === 'referral-updated')) {
        this.pushes.push(message);
        return;
      }
      this.emit({ kind: 'message', raw, message });
    });
    ws.on('close', (code, reason) => this.emit({ kind: 'close', code, reason: String(reason) }));
    ws.on('error', () => {});
  }

  private emit(event: WsEvent) {
    const waiter = this.waiters.shift();
    if (waiter) waiter(event);
    else this.events.push(event);
  }

  /** Opens a connection with this Origin (none for `null`); rejects with the HTTP status when the upgrade is refused. */
  static connect(origin: string | null = APP): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(WS_URL, origin === null ? {} : { origin });
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('unexpected-response', (_request, response) => {
        reject(new UpgradeRefused(response.statusCode ?? 0));
        ws.terminate();
      });
      ws.once('error', (error) => reject(error));
    });
  }

  /** A connection that has sent `init` with a valid token for `userId` and got `ready`. */
  static async ready(userId: string): Promise<WsClient> {
    const client = await WsClient.connect();
    client.send({ type: 'init', token: wsToken(userId) });
    const event = await client.next();
    expect(event.kind === 'message' && event.message?.type, JSON.stringify(event)).toBe('ready');
    return client;
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next answer or close (pushes are kept apart), or a timeout. */
  next(timeoutMs = 5000): Promise<WsEvent> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      const waiter = (event: WsEvent) => {
        clearTimeout(timer);
        resolve(event);
      };
      this.waiters.push(waiter);
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close() {
    this.ws.close();
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`websocket upgrade refused with HTTP ${status}`);
  }
}

/** Both servers still answer: web renders a page and its API, the backend's health check is green. */
export async function expectServersHealthy() {
  const home = await http('/');
  expect(home.status).toBe(200);
  const providers = await http('/api/auth/providers');
  expect(providers.status).toBe(200);
  const health = await fetch(BACKEND_HEALTH_URL);
  expect(health.status).toBe(200);
  expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
}

/** A small, fast, seeded random source (mulberry32): the same seed gives the same fuzz cases. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof seededRandom>;
