import { DEFAULT_QUOTA, MAX_REFERRALS_PER_CODE, REFERRAL_REWARDS } from '@app/common';
import Link from 'next/link';
import { currentUser } from '@/server/session';

export default async function Home() {
  const user = await currentUser();
  return (
    <section className="hero">
      <h1>Invite friends, get more quota</h1>
      <p className="reward">
        Every account starts with {DEFAULT_QUOTA} quota. Invite up to {MAX_REFERRALS_PER_CODE} friends: when one
        finishes signing up, you get +{REFERRAL_REWARDS.referrer} and they get +{REFERRAL_REWARDS.referred}.
      </p>
      <p>
        {user ? (
          <Link className="button" href="/referrals">Go to your referrals</Link>
        ) : (
          <a className="button" href="/api/auth/signin?callbackUrl=%2Freferrals">Sign in to start</a>
        )}
      </p>
    </section>
  );
}
