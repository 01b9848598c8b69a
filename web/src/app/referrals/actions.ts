'use server';

import { redeemReferralCode, referralInputSchema, regenerateReferralCode } from '@app/common';
import { redirect } from 'next/navigation';
import { env } from '@/env';
import { db } from '@/server/db';
import { signInHref } from '@/server/links';
import { currentUser } from '@/server/session';

async function signedIn() {
  const user = await currentUser();
  if (!user) redirect(signInHref('/referrals'));
  return user;
}

/** The page's "get a new code" form (works without JavaScript too). */
export async function regenerateCode(): Promise<void> {
  const user = await signedIn();
  const result = await regenerateReferralCode({ db: await db(), userId: user.id, appUrl: env().appUrl });
  if (!result.ok) {
    const retry = result.retryAfterSeconds === undefined ? '' : `&retry=${result.retryAfterSeconds}`;
    redirect(`/referrals?error=${result.code}${retry}`);
  }
  redirect('/referrals?notice=regenerated');
}

/** The page's "enter a friend's code or paste a link" form. */
export async function redeemCode(formData: FormData): Promise<void> {
  const user = await signedIn();
  const input = referralInputSchema.safeParse(formData.get('referralCode') ?? '');
  if (!input.success) redirect('/referrals?error=invalid_code');
  const result = await redeemReferralCode({ db: await db(), userId: user.id, input: input.data });
  if (!result.ok) redirect(`/referrals?error=${result.code}`);
  redirect(`/referrals?notice=redeemed-${result.status}`);
}
