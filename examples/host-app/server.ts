// An example host product (docs/integration.md, "The example host app"): a
// small SaaS with its own origin, its own users and its own sign-in, that
// adopts the referral system from its server only:
// - a visitor who opens a referral link there is sent here to sign up, with
//   the code (`?referral_code=`, EXTERNAL_SIGNUP_URL on the referral app);
// - sign-up and sign-in upsert the member through the API, with where their
//   browser was (the fraud signals need it), and sign-up redeems the code;
// - "Start my subscription" is this product's conversion event: it records the
//   conversion, which completes the referral (both people rewarded, once);
// - every page embeds the member's portal in an iframe, opened with a
//   one-use embed token minted for this member at render time.
// The API key stays on this server; the browser never sees it.
//
// Run: REFERRALS_URL=http://localhost:3000 REFERRALS_API_KEY=rsk_… pnpm --filter @app/example-host start
// (HOST_APP_PORT, 4100 by default; HOST_TRUST_PROXY=1 when a proxy in front writes X-Forwarded-For).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApiClient, type ApiClient } from '@app/common/api-client';

interface HostUser {
  id: string;
  name: string;
  email: string;
  subscribed: boolean;
  /** What this product tells the person about the invite they came with. */
  inviteMessage: string | null;
}

export interface HostAppOptions {
  /** The referral app's origin, e.g. https://referrals.example.com. */
  referralsUrl: string;
  apiKey: string;
  port?: number;
  host?: string;
  /** Believe the first X-Forwarded-For entry (only behind a proxy that writes it). */
  trustProxy?: boolean;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Acme Notes</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2937}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #e5e7eb;margin-bottom:1.5rem}
form{margin:1rem 0}label{display:block;margin:.5rem 0 .25rem}input{padding:.4rem;width:20rem;max-width:100%}
button{padding:.5rem 1rem;margin-top:.5rem}iframe{width:100%;height:1400px;border:1px solid #e5e7eb;border-radius:8px}
.note{background:#eef2ff;padding:.75rem 1rem;border-radius:6px}</style></head>
<body><header><h2>Acme Notes</h2><span>an example host product</span></header>${body}</body></html>`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) break;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function cookieOf(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

export async function startHostApp(options: HostAppOptions): Promise<{ url: string; server: Server; stop: () => Promise<void> }> {
  const api: ApiClient = createApiClient({ appUrl: options.referralsUrl, apiKey: options.apiKey });
  const users = new Map<string, HostUser>();
  const sessions = new Map<string, string>();

  /** Where the person's browser is, as this server sees it: the referral app's fraud signals compare it. */
  const clientOf = (request: IncomingMessage) => {
    const forwarded = options.trustProxy ? String(request.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
    const ip = forwarded || request.socket.remoteAddress?.replace(/^::ffff:/, '') || undefined;
    return { ip, userAgent: request.headers['user-agent'] };
  };

  /** Tell the referral app who this member is (on sign-up and on every sign-in). */
  async function upsertMember(user: HostUser, request: IncomingMessage) {
    const { error } = await api.PUT('/members/{externalId}', {
      params: { path: { externalId: user.id } },
      body: { email: user.email, name: user.name, client: clientOf(request) },
    });
    if (error) throw new Error(`upsert member: ${error.error.code}`);
  }

  function redirect(response: ServerResponse, location: string, cookie?: string) {
    response.writeHead(303, { location, ...(cookie ? { 'set-cookie': cookie } : {}) });
    response.end();
  }

  function signedIn(request: IncomingMessage): HostUser | null {
    const session = cookieOf(request, 'acme_session');
    const id = session ? sessions.get(session) : undefined;
    return id ? (users.get(id) ?? null) : null;
  }

  function startSession(user: HostUser): string {
    const session = randomUUID();
    sessions.set(session, user.id);
    return `acme_session=${session}; Path=/; HttpOnly; SameSite=Lax`;
  }

  async function home(request: IncomingMessage, response: ServerResponse, url: URL) {
    const user = signedIn(request);
    if (!user) {
      const code = url.searchParams.get('referral_code') ?? '';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        page(
          'Sign up',
          `${code ? '<p class="note">You were invited: sign up and start a subscription, and you both get a bonus.</p>' : ''}
<h1>Sign up</h1>
<form method="post" action="/signup">
<input type="hidden" name="referral_code" value="${escape(code)}">
<label for="name">Name</label><input id="name" name="name" required maxlength="100">
<label for="email">E-mail</label><input id="email" name="email" type="email" required maxlength="200">
<br><button type="submit">Create my account</button></form>
<h2>Already have an account?</h2>
<form method="post" action="/login"><label for="login-email">Your account's e-mail</label><input id="login-email" name="email" type="email" required>
<br><button type="submit">Log in</button></form>`,
        ),
      );
      return;
    }
    // A fresh, one-use embed token for this member, each time the page is shown.
    const { data, error } = await api.POST('/members/{externalId}/embed-token', { params: { path: { externalId: user.id } } });
    const portal = data ? `<iframe title="Your referrals" src="${escape(data.url)}"></iframe>` : `<p>Referrals are unavailable (${escape(error?.error.code ?? 'error')}).</p>`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      page(
        'Your account',
        `<h1>Hello, ${escape(user.name)}</h1>
${user.inviteMessage ? `<p class="note" data-testid="invite-message">${escape(user.inviteMessage)}</p>` : ''}
${
  user.subscribed
    ? '<p data-testid="subscribed">Your subscription is active.</p>'
    : '<form method="post" action="/subscribe"><button type="submit">Start my subscription</button></form>'
}
<form method="post" action="/logout"><button type="submit">Log out</button></form>
<h2>Invite friends</h2>
${portal}`,
      ),
    );
  }

  async function signUp(request: IncomingMessage, response: ServerResponse) {
    const form = await readForm(request);
    const user: HostUser = {
      id: `acme-${randomUUID()}`,
      name: (form.get('name') ?? '').trim().slice(0, 100) || 'Someone',
      email: (form.get('email') ?? '').trim().toLowerCase(),
      subscribed: false,
      inviteMessage: null,
    };
    users.set(user.id, user);
    await upsertMember(user, request);
    const code = form.get('referral_code');
    if (code) {
      const { data, error } = await api.POST('/members/{externalId}/redeem', {
        params: { path: { externalId: user.id } },
        body: { referralCode: code },
        headers: { 'idempotency-key': `signup-redeem-${user.id}` },
      });
      user.inviteMessage = data
        ? `Invite from ${data.referrer.name} applied: your bonus arrives with your subscription.`
        : `Your invite could not be applied: ${error?.error.message ?? 'unknown error'}`;
    }
    redirect(response, '/', startSession(user));
  }

  async function logIn(request: IncomingMessage, response: ServerResponse) {
    const email = ((await readForm(request)).get('email') ?? '').trim().toLowerCase();
    const user = [...users.values()].find((u) => u.email === email);
    if (!user) return redirect(response, '/');
    await upsertMember(user, request);
    redirect(response, '/', startSession(user));
  }

  /** This product's conversion event: the referral completes (or is held for review) on the referral app. */
  async function subscribe(request: IncomingMessage, response: ServerResponse) {
    const user = signedIn(request);
    if (!user) return redirect(response, '/');
    const { error } = await api.POST('/members/{externalId}/conversion', {
      params: { path: { externalId: user.id } },
      headers: { 'idempotency-key': `conversion-${user.id}` },
    });
    if (error) throw new Error(`conversion: ${error.error.code}`);
    user.subscribed = true;
    redirect(response, '/');
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    const route = `${request.method} ${url.pathname}`;
    const work =
      route === 'GET /' || route === 'GET /signup'
        ? home(request, response, url)
        : route === 'POST /signup'
          ? signUp(request, response)
          : route === 'POST /login'
            ? logIn(request, response)
            : route === 'POST /subscribe'
              ? subscribe(request, response)
              : route === 'POST /logout'
                ? Promise.resolve(redirect(response, '/', 'acme_session=; Path=/; Max-Age=0'))
                : Promise.resolve(void response.writeHead(404).end('Not found'));
    work.catch((error: unknown) => {
      console.error(`[host] ${route}: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' }).end('Something went wrong.');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const referralsUrl = process.env.REFERRALS_URL ?? 'http://localhost:3000';
  const apiKey = process.env.REFERRALS_API_KEY;
  if (!apiKey) {
    console.error('Set REFERRALS_API_KEY to a key made on /admin/api-keys (scopes read and write).');
    process.exit(1);
  }
  const app = await startHostApp({
    referralsUrl,
    apiKey,
    port: Number(process.env.HOST_APP_PORT) || 4100,
    trustProxy: process.env.HOST_TRUST_PROXY === '1',
  });
  console.log(`[host] Acme Notes on ${app.url}, using the referral app at ${referralsUrl}`);
}
