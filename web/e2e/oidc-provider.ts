// A real OpenID Connect provider for the end-to-end suite: oauth2-mock-server
// (discovery, JWKS, authorization code + PKCE, signed ID tokens), with a small
// sign-in page in front of its authorization endpoint, so the browser signs in
// "at the provider" as a person would: the page asks for an e-mail and a name,
// and the ID token then carries them.
import { OAuth2Server, Events } from 'oauth2-mock-server';

export const OIDC_CLIENT_ID = 'referrals-e2e';
export const OIDC_CLIENT_SECRET = 'referrals-e2e-secret';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function startOidcProvider(port: number): Promise<{ issuer: string; stop: () => Promise<void> }> {
  const server = new OAuth2Server(undefined, undefined, { endpoints: { authorize: '/authorize/approve' } });
  await server.issuer.keys.generate('RS256');

  // The provider's sign-in page: every query parameter of the authorization
  // request is carried through to the real endpoint, plus who signed in.
  server.service.addRoute('GET', '/authorize', (req, res) => {
    const hidden = Object.entries(req.query)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Mock identity provider</title>
<h1>Sign in to Mock ID</h1>
<form method="get" action="/authorize/approve">${hidden}
<label>Email address <input name="login_email" type="email" required></label>
<label>Full name <input name="login_name" required></label>
<button type="submit">Continue</button></form>`);
  });

  // Discovery points browsers at the sign-in page rather than straight at the code-issuing endpoint.
  server.service.on(Events.BeforeWellKnownOpenIdConfiguration, (configuration) => {
    Object.assign(configuration.body, { authorization_endpoint: `${server.issuer.url}/authorize` });
  });

  // Who each authorization code belongs to, then the ID token's claims.
  const people = new Map<string, { email: string; name: string }>();
  server.service.on(Events.BeforeAuthorizeRedirect, (redirect, req) => {
    const query = new URL(req.url ?? '/', 'http://provider').searchParams;
    const code = redirect.url.searchParams.get('code');
    const email = query.get('login_email');
    if (code && email) people.set(code, { email, name: query.get('login_name') ?? email });
  });
  server.service.on(Events.BeforeTokenSigning, (token, req) => {
    const code = typeof req.body?.code === 'string' ? req.body.code : undefined;
    const person = code ? people.get(code) : undefined;
    if (!person) return;
    Object.assign(token.payload, {
      sub: `mock|${person.email}`,
      email: person.email,
      email_verified: true,
      name: person.name,
      aud: OIDC_CLIENT_ID,
    });
  });

  await server.start(port, '127.0.0.1');
  return { issuer: server.issuer.url!, stop: () => server.stop() };
}
