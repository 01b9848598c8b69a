import { redeemReferralCode, referralInputSchema, regenerateReferralCode } from '@app/common';
import { env } from '@/env';
import { db } from '@/server/db';

// The member view's two forms (src/components/member-view.tsx), done for a
// member: what /referrals and the embedded portal both run once they know who
// the member is. Each returns the query string its page redirects to.

/** "Enter a friend's code or paste their link". A refused code comes back in the field, as typed. */
export async function redeemFromForm(userId: string, formData: FormData): Promise<URLSearchParams> {
  const input = referralInputSchema.safeParse(formData.get('referralCode') ?? '');
  if (!input.success) return new URLSearchParams({ error: 'invalid_code' });
  const result = await redeemReferralCode({ db: await db(), userId, input: input.data });
  if (!result.ok) return new URLSearchParams({ error: result.code, invite: input.data });
  return new URLSearchParams({ notice: `redeemed-${result.status}` });
}

/** "Get a new code" (works without JavaScript too). */
export async function regenerateFromForm(userId: string): Promise<URLSearchParams> {
  const result = await regenerateReferralCode({ db: await db(), userId, appUrl: env().appUrl });
  if (result.ok) return new URLSearchParams({ notice: 'regenerated' });
  return new URLSearchParams({ error: result.code, ...(result.retryAfterSeconds === undefined ? {} : { retry: String(result.retryAfterSeconds) }) });
}
