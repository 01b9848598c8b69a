'use server';

import {
  REFERRAL_COOKIE_NAME,
  completeOnboarding,
  parseReferralInput,
  recordSignupFingerprint,
  redeemReferralCode,
  updateUserName,
} from '@app/common';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { env } from '@/env';
import { requestFingerprint } from '@/server/client-fingerprint';
import { db } from '@/server/db';
import { signInHref } from '@/server/links';
import { currentUser } from '@/server/session';
import { SIGN_UP_PROBLEMS } from './messages';

const signUpSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, SIGN_UP_PROBLEMS.nameMissing)
    .max(100, SIGN_UP_PROBLEMS.nameTooLong)
    // PostgreSQL text cannot hold a NUL byte (the update failed with a 500); no control character belongs in a name.
    .refine((name) => !/\p{Cc}/u.test(name), SIGN_UP_PROBLEMS.nameCharacters),
  terms: z.literal('on', { message: SIGN_UP_PROBLEMS.terms }),
  referralCode: z.string().max(2048).optional(),
});

/**
 * Finishes sign-up: saves the name, applies the invite (from the form, which
 * the page filled from the URL or the referral cookie), completes onboarding
 * (which grants the referral's rewards), and forgets the cookie. A code that
 * cannot be used never blocks finishing sign-up: the welcome page explains it.
 */
export async function completeSignUp(formData: FormData): Promise<void> {
  const user = await currentUser();
  if (!user) redirect(signInHref('/onboard'));

  const parsed = signUpSchema.safeParse({
    name: formData.get('name') ?? '',
    terms: formData.get('terms') ?? undefined,
    referralCode: formData.get('referralCode') || undefined,
  });
  if (!parsed.success) {
    const params = new URLSearchParams({ problem: parsed.error.issues[0]?.message ?? SIGN_UP_PROBLEMS.form });
    const code = formData.get('referralCode');
    if (typeof code === 'string' && parseReferralInput(code).ok) params.set('referral_code', code);
    redirect(`/onboard?${params}`);
  }

  const database = await db();
  await updateUserName({ db: database, userId: user.id, name: parsed.data.name });
  // Before completion scores the referral: where this account signed up from (if sign-in did not record it).
  await recordSignupFingerprint({ db: database, userId: user.id, client: await requestFingerprint(user.id), secret: env().authSecret });
  let referralError: string | null = null;
  if (parsed.data.referralCode) {
    const redeemed = await redeemReferralCode({ db: database, userId: user.id, input: parsed.data.referralCode });
    if (!redeemed.ok) referralError = redeemed.code;
  }
  const completed = await completeOnboarding({ db: database, userId: user.id });
  if (!completed.ok) redirect(`/onboard?problem=${encodeURIComponent(completed.message)}`);

  (await cookies()).delete(REFERRAL_COOKIE_NAME);
  redirect(referralError ? `/onboard/welcome?referral_error=${referralError}` : '/onboard/welcome');
}
