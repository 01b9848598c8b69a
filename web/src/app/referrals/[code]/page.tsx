import {
  REFERRAL_CODE_QUERY_PARAM,
  recordLandingView,
  validateReferralCode,
  type ErrorCode,
} from '@app/common';
import type { Metadata } from 'next';
import Link from 'next/link';
import { after } from 'next/server';
import { env } from '@/env';
import { requestFingerprint } from '@/server/client-fingerprint';
import { db } from '@/server/db';
import { externalSignupHref, signInHref } from '@/server/links';
import { currentUser } from '@/server/session';

export const metadata: Metadata = { title: 'You are invited', robots: { index: false } };

const PROBLEMS: Partial<Record<ErrorCode, { title: string; text: string }>> = {
  invalid_code: {
    title: 'This invite link looks broken',
    text: 'The link is incomplete or mistyped. Ask your friend to send it again, or copy it in full.',
  },
  code_not_found: {
    title: 'This invite link is no longer active',
    text: 'Your friend may have created a new link since. Ask them for their current one.',
  },
  code_exhausted: {
    title: 'This invite has been used up',
    text: 'Your friend has already invited as many people as they can. You can still sign up; the referral bonus just does not apply.',
  },
};

export default async function ReferralLandingPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  let raw = code;
  try {
    raw = decodeURIComponent(code);
  } catch {
    // A malformed escape is just an invalid code.
  }
  const [result, user] = await Promise.all([validateReferralCode({ db: await db(), input: raw }), currentUser()]);

  if (!result.ok) {
    const problem = PROBLEMS[result.code] ?? PROBLEMS.invalid_code!;
    return (
      <section className="hero">
        <h1>{problem.title}</h1>
        <p>{problem.text}</p>
        <p>
          {user ? (
            <Link className="button" href="/referrals">Go to your referrals</Link>
          ) : (
            <a className="button" href={signInHref('/onboard')}>Sign up</a>
          )}
        </p>
      </section>
    );
  }

  // Counted for the operator's funnel after the page is sent (hashed address and browser only; once a
  // day per visitor). A signed-in visitor's visit also joins their address history (the fraud signals).
  const client = await requestFingerprint(user?.id ?? null);
  after(async () => {
    await recordLandingView({ db: await db(), code: result.referralCode, client, secret: env().authSecret, viewerId: user?.id ?? null }).catch(
      () => {},
    );
  });

  const { externalSignupUrl } = env();
  const onboard = `/onboard?${REFERRAL_CODE_QUERY_PARAM}=${encodeURIComponent(result.referralCode)}`;
  return (
    <section className="hero">
      <p className="muted">You are invited</p>
      <h1>{result.referrer.name} invited you</h1>
      <div className="card">
        <p className="reward">
          Sign up and finish onboarding: <strong>you get +{result.rewards.referred}</strong> quota, and{' '}
          <strong>{result.referrer.name} gets +{result.rewards.referrer}</strong>.
        </p>
        <p>
          {user ? (
            <Link className="button" href={onboard}>Continue as {user.name ?? 'you'}</Link>
          ) : externalSignupUrl ? (
            <a className="button" href={externalSignupHref(externalSignupUrl, result.referralCode)} data-testid="external-signup">
              Sign up to accept
            </a>
          ) : (
            <a className="button" href={signInHref(onboard)}>Sign in to accept</a>
          )}
        </p>
        <p className="muted">New accounts can use an invite within their first {result.program.redeemWindowDays} days.</p>
      </div>
    </section>
  );
}
