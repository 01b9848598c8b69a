import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { env } from '@/env';
import { resolveRedirect } from '@/server/auth/redirect';
import { getAuthOptions } from './auth-options';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: NextRequest, context: Context) {
  // next-auth answers a `callbackUrl` query that is not an http(s) URL (`javascript:…`, `\\evil.com`)
  // with a 500 "server configuration" page: make it the same-origin target the redirect callback would pick.
  const callbackUrl = request.nextUrl.searchParams.get('callbackUrl');
  if (callbackUrl !== null) request.nextUrl.searchParams.set('callbackUrl', resolveRedirect(callbackUrl, env().appUrl));
  return NextAuth(await getAuthOptions())(request, context);
}

export { handler as GET, handler as POST };
