import { DEFAULT_QUOTA, getProgram } from '@app/common';
import Link from 'next/link';
import { db } from '@/server/db';
import { currentUser } from '@/server/session';

/** The home page's notices, by their `?notice=` key (a link cannot make the page say anything else). */
const NOTICES: Record<string, string> = {
  'account-deleted': 'Your account was deleted. Thank you for having been with us.',
};

export default async function Home({ searchParams }: { searchParams: Promise<{ notice?: string | string[] }> }) {
  // The numbers of the program in force (docs/referral-rules.md, "The program's settings").
  const [user, { notice }, program] = await Promise.all([currentUser(), searchParams, db().then((database) => getProgram({ db: database }))]);
  const said = typeof notice === 'string' ? NOTICES[notice] : undefined;
  return (
    <section className="hero">
      {said && (
        <p className="notice ok" role="status">
          {said}
        </p>
      )}
      <h1>Invite friends, get more quota</h1>
      <p className="reward">
        Every account starts with {DEFAULT_QUOTA} quota. Invite up to {program.maxReferralsPerReferrer} friends: when
        one finishes signing up, you get +{program.rewardReferrer} and they get +{program.rewardReferred}.
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
