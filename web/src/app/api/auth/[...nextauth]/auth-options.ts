import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { findOrCreateUserByEmail, recordSignIn, refreshSignInProfile } from '@app/common';
import type { Db } from '@app/common/db';
import { schema } from '@app/common/db';
import type { NextAuthOptions } from 'next-auth';
import type { Adapter } from 'next-auth/adapters';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import type { OAuthConfig, Provider } from 'next-auth/providers/index';
import { z } from 'zod';
import { env, type Env } from '@/env';
import { resolveRedirect } from '@/server/auth/redirect';
import { requestFingerprint } from '@/server/client-fingerprint';
import { db } from '@/server/db';

declare module 'next-auth' {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; image?: string | null };
  }
}

const devLoginSchema = z.object({
  email: z.email().max(254),
  // No control characters: a NUL byte made the insert fail, and next-auth echoed the SQL error into the error page's URL.
  name: z.string().trim().max(100).refine((name) => !/\p{Cc}/u.test(name)).optional(),
});

/** The claims the app reads from an OpenID Connect provider (ID token, then userinfo). */
interface OidcProfile {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  /** A boolean by the spec; some providers send the string. */
  email_verified?: boolean | string;
  picture?: string;
}

/**
 * True only when the provider says the address is verified (`true`, or the
 * string `"true"` some send). Absent, `false` or `"false"`: the address could
 * be anyone's, an operator's included, so it is not kept (docs/auth.md).
 */
export function isVerifiedClaim(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * The profile of an OIDC sign-in: the ID token's claims, completed from the
 * userinfo endpoint when they lack the e-mail or the name (spec-conformant
 * providers put them only there by default). Userinfo must be about the same
 * subject (OpenID Connect Core 5.3.2), or it is ignored.
 */
export async function oidcProfileClaims(
  idTokenClaims: OidcProfile,
  fetchUserinfo: () => Promise<Record<string, unknown>>,
): Promise<OidcProfile> {
  if (idTokenClaims.email && isVerifiedClaim(idTokenClaims.email_verified) && idTokenClaims.name) return idTokenClaims;
  let info: Record<string, unknown>;
  try {
    info = await fetchUserinfo();
  } catch {
    return idTokenClaims;
  }
  if (info.sub !== idTokenClaims.sub) return idTokenClaims;
  return { ...idTokenClaims, ...(info as Partial<OidcProfile>), sub: idTokenClaims.sub };
}

function oidcProvider(oidc: NonNullable<Env['oidc']>): OAuthConfig<OidcProfile> {
  return {
    id: 'oidc',
    name: oidc.name,
    type: 'oauth',
    wellKnown: `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state'],
    userinfo: {
      // openid-client's TokenSet: the ID token's claims are already verified (signature, issuer, audience, nonce).
      request: ({ tokens, client }) =>
        oidcProfileClaims((tokens as unknown as { claims(): OidcProfile }).claims(), () =>
          client.userinfo(tokens.access_token!) as Promise<Record<string, unknown>>,
        ),
    },
    profile: (profile) => ({
      id: profile.sub,
      name: profile.name ?? profile.preferred_username ?? null,
      email: isVerifiedClaim(profile.email_verified) ? (profile.email ?? null) : null,
      image: profile.picture ?? null,
    }),
  };
}

/** GitHub's REST API, where a signed-in user's addresses are listed. */
export const GITHUB_API_URL = 'https://api.github.com';

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * The address GitHub vouches for: the primary one, if verified; else none.
 * (The public profile address is not used: GitHub's /user does not say
 * whether it is verified.)
 */
export function githubVerifiedPrimaryEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const primary = (emails as Partial<GitHubEmail>[]).find((e) => e && e.primary === true);
  return primary?.verified === true && typeof primary.email === 'string' ? primary.email : null;
}

/** GitHub's profile with only a verified primary address (`GET /user`, then `GET /user/emails`). */
export async function githubProfile(accessToken: string, apiUrl: string = GITHUB_API_URL): Promise<Record<string, unknown>> {
  const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'referrals' };
  const user = await fetch(`${apiUrl}/user`, { headers });
  if (!user.ok) throw new Error(`GitHub /user answered ${user.status}`);
  const profile = (await user.json()) as Record<string, unknown>;
  const emails = await fetch(`${apiUrl}/user/emails`, { headers });
  return { ...profile, email: emails.ok ? githubVerifiedPrimaryEmail(await emails.json()) : null };
}

/**
 * next-auth v4: GitHub and a generic OIDC provider when their variables are
 * set, and the `dev-login` e-mail sign-in in development and test (in
 * production only with AUTH_DEV_LOGIN=true). Sessions are JWTs (Credentials
 * needs them); OAuth users and accounts are stored by the Drizzle adapter.
 */
export function buildAuthOptions(database: Db, e: Env = env()): NextAuthOptions {
  const providers: Provider[] = [];
  if (e.github) {
    providers.push(
      GitHubProvider({
        clientId: e.github.clientId,
        clientSecret: e.github.clientSecret,
        userinfo: { url: `${GITHUB_API_URL}/user`, request: ({ tokens }) => githubProfile(tokens.access_token!) },
      }),
    );
  }
  if (e.oidc) providers.push(oidcProvider(e.oidc));
  if (e.devLogin) {
    providers.push(
      CredentialsProvider({
        id: 'dev-login',
        name: 'Development login',
        credentials: {
          email: { label: 'E-mail', type: 'email', placeholder: 'you@example.com' },
          name: { label: 'Name (optional)', type: 'text' },
        },
        async authorize(credentials) {
          const parsed = devLoginSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          try {
            const user = await findOrCreateUserByEmail({ db: database, email: parsed.data.email, name: parsed.data.name });
            return { id: user.id, name: user.name, email: user.email };
          } catch (error) {
            // next-auth puts a thrown message into the error page's URL: log the details here, send only a code.
            const requestId = crypto.randomUUID();
            console.error(JSON.stringify({ level: 'error', requestId, where: 'dev-login', error: error instanceof Error ? error.message : String(error) }));
            throw new Error(`internal (request ${requestId})`);
          }
        },
      }),
    );
  }

  return {
    adapter: DrizzleAdapter(database, {
      usersTable: schema.users,
      accountsTable: schema.accounts,
      sessionsTable: schema.sessions,
      verificationTokensTable: schema.verificationTokens,
    }) as unknown as Adapter,
    providers,
    secret: e.authSecret,
    session: { strategy: 'jwt' },
    events: {
      // Every sign-in: where it came from (hashed; the first is the sign-up fingerprint), and what the
      // provider vouches for now (a verified address, a name not chosen yet).
      async signIn({ user, profile, account }) {
        try {
          await recordSignIn({ db: database, userId: user.id, client: await requestFingerprint(user.id), secret: e.authSecret });
          if (account?.type === 'oauth') {
            await refreshSignInProfile({ db: database, userId: user.id, email: profile?.email ?? null, name: profile?.name ?? null });
          }
        } catch (error) {
          // Never block a sign-in on this; onboarding records the fingerprint again if it is missing.
          console.error(JSON.stringify({ level: 'error', where: 'sign-in event', error: error instanceof Error ? error.message : String(error) }));
        }
      },
    },
    callbacks: {
      redirect: ({ url, baseUrl }) => resolveRedirect(url, baseUrl),
      session: ({ session, token }) => ({ ...session, user: { ...session.user, id: token.sub ?? '' } }),
    },
  };
}

let cached: Promise<NextAuthOptions> | undefined;

/** The auth options of this process (they need the database pool, so they are built once it is ready). */
export function getAuthOptions(): Promise<NextAuthOptions> {
  const current = (cached ??= db().then((database) => buildAuthOptions(database)));
  // A database that was down on the first request must not break sign-in for the life of the process.
  current.catch(() => {
    if (cached === current) cached = undefined;
  });
  return current;
}
