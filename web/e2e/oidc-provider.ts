// A real, standards-conformant OpenID Connect provider for the browser
// suites: panva's oidc-provider (certified), on its defaults where it
// matters: authorization code + PKCE, signed ID tokens that carry only `sub`
// (conformIdTokenClaims), the e-mail and name only from the userinfo
// endpoint. In front of it, its own sign-in page (an "interaction"), so the
// browser signs in "at the provider" as a person would: it asks for an
// e-mail, a name and what the provider says about the address
// (`email_verified`: true, the string "true", false, the string "false", or
// nothing), so tests can play a provider that vouches for an address and one
// that does not.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Account, type Configuration } from 'oidc-provider';

export const OIDC_CLIENT_ID = 'referrals-e2e';
export const OIDC_CLIENT_SECRET = 'referrals-e2e-secret-0123456789';

/** What the sign-in page's "address verified" field sets the `email_verified` claim to. */
export const VERIFIED_CHOICES = {
  true: true,
  'string-true': 'true',
  false: false,
  'string-false': 'false',
  absent: undefined,
} as const;
export type VerifiedChoice = keyof typeof VERIFIED_CHOICES;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

interface Person {
  email: string;
  name: string;
  verified: VerifiedChoice;
}

/**
 * Starts the provider on 127.0.0.1:`port`, for a client whose callbacks are
 * `redirectUris` (the web app's `/api/auth/callback/oidc`).
 */
export async function startOidcProvider(port: number, redirectUris: string[]): Promise<{ issuer: string; stop: () => Promise<void> }> {
  const issuer = `http://127.0.0.1:${port}`;
  // Who signed in, by subject: the claims userinfo answers with.
  const people = new Map<string, Person>();
  const configuration: Configuration = {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['e2e-cookie-key-0123456789abcdef'] },
    // A signing key of this run (the ID tokens' RS256 signatures).
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'e2e' }] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub): Promise<Account> {
      const person = people.get(sub);
      return {
        accountId: sub,
        claims: () => {
          if (!person) return { sub };
          const verified = VERIFIED_CHOICES[person.verified];
          return { sub, email: person.email, name: person.name, ...(verified === undefined ? {} : { email_verified: verified }) };
        },
      } as Account;
    },
  };
  const provider = new Provider(issuer, configuration);
  // The app talks to it over plain http on loopback.
  provider.proxy = true;
  const callback = provider.callback();

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (!url.pathname.startsWith('/interaction/')) return callback(request, response);
    try {
      const details = await provider.interactionDetails(request, response);
      if (request.method === 'POST') {
        const form = await formBody(request);
        const email = (form.get('login_email') ?? '').trim().toLowerCase();
        const choice = (form.get('login_verified') ?? 'true') as VerifiedChoice;
        const sub = `mock|${email}`;
        people.set(sub, { email, name: form.get('login_name') ?? email, verified: choice in VERIFIED_CHOICES ? choice : 'true' });
        const grant = new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope ?? 'openid'));
        const grantId = await grant.save();
        await provider.interactionFinished(request, response, { login: { accountId: sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>Mock identity provider</title>
<h1>Sign in to Mock ID</h1>
<form method="post" action="/interaction/${escapeHtml(details.uid)}">
<label>Email address <input name="login_email" type="email" required></label>
<label>Full name <input name="login_name" required></label>
<label>Address verified <select name="login_verified">
${Object.keys(VERIFIED_CHOICES).map((c) => `<option value="${c}">${c}</option>`).join('')}
</select></label>
<button type="submit">Continue</button></form>`);
    } catch (error) {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(`interaction failed: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  if (actual !== port) throw new Error(`provider listening on ${actual}, not ${port}`);
  return {
    issuer,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
