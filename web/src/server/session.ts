import { getUserProfile, type UserProfile } from '@app/common';
import { getServerSession } from 'next-auth';
import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { cache } from 'react';
import { getAuthOptions } from '@/app/api/auth/[...nextauth]/auth-options';
import { env } from '@/env';
import { db } from '@/server/db';

/**
 * The signed-in user of a page render (server components), or null. Cached
 * per request: the layout and the page ask for it, the session is read once.
 */
export const currentUser = cache(async (): Promise<{ id: string; name: string | null } | null> => {
  const session = await getServerSession(await getAuthOptions());
  const id = session?.user?.id;
  return id ? { id, name: session.user.name ?? null } : null;
});

/**
 * The signed-in user's stored profile (e-mail, onboarding, ...) for a page
 * render, or null. Cached per request like currentUser: the layout's operator
 * check and the page read it once.
 */
export const currentProfile = cache(async (): Promise<UserProfile | null> => {
  const user = await currentUser();
  return user ? getUserProfile({ db: await db(), userId: user.id }) : null;
});

/** The user id of an API request's next-auth session cookie (a signed JWT), or null. */
export async function userIdFromRequest(request: NextRequest): Promise<string | null> {
  const token = await getToken({ req: request, secret: env().authSecret });
  return typeof token?.sub === 'string' && token.sub ? token.sub : null;
}
