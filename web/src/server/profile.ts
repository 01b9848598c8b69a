import { getUserProfile, type UserProfile } from '@app/common';
import { cache } from 'react';
import { db } from '@/server/db';
import { currentUser } from '@/server/session';

/**
 * The signed-in user's stored profile (e-mail, onboarding, ...) for a page
 * render, or null. Cached per request like currentUser: the layout's operator
 * check and the page read it once.
 */
export const currentProfile = cache(async (): Promise<UserProfile | null> => {
  const user = await currentUser();
  return user ? getUserProfile({ db: await db(), userId: user.id }) : null;
});
