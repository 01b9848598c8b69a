import { getServerSession } from 'next-auth';
import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { cache } from 'react';
import { getAuthOptions } from '@/app/api/auth/[...nextauth]/auth-options';
import { env } from '@/env';

/**
 * The signed-in user of a page render (server components), or null. Cached
 * per request: the layout and the page ask for it, the session is read once.
 */
export const currentUser = cache(async (): Promise<{ id: string; name: string | null } | null> => {
  const session = await getServerSession(await getAuthOptions());
  const id = session?.user?.id;
  return id ? { id, name: session.user.name ?? null } : null;
});

/** The user id of an API request's next-auth session cookie (a signed JWT), or null. */
export async function userIdFromRequest(request: NextRequest): Promise<string | null> {
  const token = await getToken({ req: request, secret: env().authSecret });
  return typeof token?.sub === 'string' && token.sub ? token.sub : null;
}
