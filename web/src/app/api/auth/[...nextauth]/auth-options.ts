import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { findOrCreateUserByEmail, recordSignupFingerprint } from '@app/common';
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

interface OidcProfile {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
  picture?: string;
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
    profile: (profile) => ({
      id: profile.sub,
      name: profile.name ?? profile.preferred_username ?? null,
      // An address the provider says it has not verified is not kept: it could be anyone's (an operator's included).
      email: profile.email_verified === false ? null : (profile.email ?? null),
      image: profile.picture ?? null,
    }),
  };
}

/**
 * next-auth v4: GitHub and a generic OIDC provider when their variables are
 * set, and the `dev-login` e-mail sign-in in development and test (in
 * production only with AUTH_DEV_LOGIN=true). Sessions are JWTs (Credentials
 * needs them); OAuth users and accounts are stored by the Drizzle adapter.
 */
export function buildAuthOptions(database: Db, e: Env = env()): NextAuthOptions {
  const providers: Provider[] = [];
  if (e.github) providers.push(GitHubProvider({ clientId: e.github.clientId, clientSecret: e.github.clientSecret }));
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
      // Where a new account signs up from, for the fraud signals (kept once; hashed).
      async signIn({ user }) {
        try {
          await recordSignupFingerprint({ db: database, userId: user.id, client: await requestFingerprint(), secret: e.authSecret });
        } catch {
          // Never block a sign-in on this; onboarding records it again if it is missing.
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
