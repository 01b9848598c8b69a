import { ERROR_MESSAGES, getReferralSummary, isErrorCode } from '@app/common';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { env } from '@/env';
import { db } from '@/server/db';
import { signInHref } from '@/server/links';
import { currentUser } from '@/server/session';

export const metadata: Metadata = { title: 'Welcome' };

export default async function WelcomePage({ searchParams }: { searchParams: Promise<{ referral_error?: string }> }) {
  const { referral_error: referralError } = await searchParams;
  const user = await currentUser();
  if (!user) redirect(signInHref('/referrals'));
  const summary = await getReferralSummary({ db: await db(), userId: user.id, appUrl: env().appUrl });
  if (!summary.ok) redirect(signInHref('/referrals'));

  return (
    <section className="hero">
      <h1>You are all set</h1>
      {summary.referredBy?.status === 'held' ? (
        <p className="notice info">
          Your invite from <strong>{summary.referredBy.name}</strong> is under review: the bonus is added to both of you once it is approved.
        </p>
      ) : summary.referredBy?.status === 'completed' ? (
        <p className="notice ok">
          Thanks to <strong>{summary.referredBy.name}</strong>, you got +{summary.rewards.referred} quota, and so did they.
        </p>
      ) : (
        referralError &&
        isErrorCode(referralError) && (
          <p className="notice info">Your invite could not be applied: {ERROR_MESSAGES[referralError]}</p>
        )
      )}
      <div className="card">
        <p className="muted">Your quota</p>
        <p className="stat" data-testid="quota">{summary.quota}</p>
      </div>
      <p>
        Invite friends and get +{summary.rewards.referrer} for each one (up to {summary.maxReferrals}).
      </p>
      <p>
        <Link className="button" href="/referrals">Go to your referrals</Link>
      </p>
    </section>
  );
}
