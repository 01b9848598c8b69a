import { REFERRAL_COOKIE_NAME, validateReferralCode } from '@app/common';
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { signInHref } from '@/server/links';
import { currentProfile } from '@/server/profile';
import { currentUser } from '@/server/session';
import { completeSignUp } from './actions';
import { knownProblem } from './messages';

export const metadata: Metadata = { title: 'Finish signing up' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function OnboardPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const fromUrl = first(params.referral_code);
  const user = await currentUser();
  if (!user) redirect(signInHref(fromUrl ? `/onboard?referral_code=${encodeURIComponent(fromUrl)}` : '/onboard'));

  const database = await db();
  const profile = await currentProfile();
  if (!profile) redirect(signInHref('/onboard'));
  if (profile.onboardedAt) {
    // Already signed up: an invite can still be entered on the referrals page while the account is new.
    redirect(fromUrl ? `/referrals?invite=${encodeURIComponent(fromUrl)}` : '/referrals');
  }

  // The code from the link, else the one the last landing page opened remembered (last click wins).
  const code = fromUrl ?? (await cookies()).get(REFERRAL_COOKIE_NAME)?.value;
  const invite = code ? await validateReferralCode({ db: database, input: code }) : null;
  const problem = knownProblem(first(params.problem));

  return (
    <>
      <h1>Finish signing up</h1>
      {problem && <p className="notice bad" role="alert">{problem}</p>}
      {invite && !invite.ok && (
        <p className="notice info">
          The invite you followed cannot be used ({invite.message}) You can still finish signing up.
        </p>
      )}
      <form className="card" action={completeSignUp}>
        <div className="field">
          <label htmlFor="name">Your name</label>
          <input id="name" name="name" type="text" required maxLength={100} autoComplete="name" defaultValue={profile.name ?? ''} />
          <p className="muted">Friends you invite see this name, never your e-mail.</p>
        </div>
        <div className="field">
          <label className="check">
            <input type="checkbox" name="terms" required />
            <span>I accept the terms of service and the privacy policy.</span>
          </label>
        </div>
        {invite?.ok && (
          // The invite is the person's choice: shown by name, applied only if this box is still ticked
          // when the form is sent (the server never applies a code from the cookie alone).
          <fieldset className="field invite" data-testid="invite">
            <legend>
              Invited by <strong>{invite.referrer.name}</strong>
            </legend>
            <label className="check">
              <input type="checkbox" name="referralCode" value={invite.referralCode} defaultChecked />
              <span>
                Use {invite.referrer.name}&apos;s invite: you get +{invite.rewards.referred} quota and {invite.referrer.name} gets +
                {invite.rewards.referrer}.
              </span>
            </label>
            <p className="muted">Not invited by {invite.referrer.name}? Untick the box: you sign up without an invite.</p>
          </fieldset>
        )}
        <button type="submit">Finish signing up</button>
      </form>
      <p className="muted">
        Signed in as {profile.email}. <Link href="/api/auth/signout">Not you?</Link>
      </p>
    </>
  );
}
