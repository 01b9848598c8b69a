import { getQuotaHistory, getReferralSummary, isErrorCode } from '@app/common';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ConfirmSubmit } from '@/components/confirm-submit';
import { MEMBER_NOTICES, MemberView } from '@/components/member-view';
import { env } from '@/env';
import { db } from '@/server/db';
import { signInHref } from '@/server/links';
import { currentProfile } from '@/server/profile';
import { currentUser } from '@/server/session';
import { deleteMyAccount, redeemCode, regenerateCode } from './actions';
import { DELETE_CONFIRMATION_WORD, PAGE_PROBLEMS } from './messages';

export const metadata: Metadata = { title: 'Your referrals' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ReferralsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await currentUser();
  if (!user) redirect(signInHref('/referrals'));
  const database = await db();
  const profile = await currentProfile();
  if (!profile) redirect(signInHref('/referrals'));
  if (!profile.onboardedAt) redirect('/onboard');

  const [summary, history] = await Promise.all([
    getReferralSummary({ db: database, userId: user.id, appUrl: env().appUrl }),
    getQuotaHistory({ db: database, userId: user.id }),
  ]);
  if (!summary.ok) redirect(signInHref('/referrals'));

  const error = typeof params.error === 'string' && isErrorCode(params.error) ? params.error : null;
  const problem = typeof params.error === 'string' ? PAGE_PROBLEMS[params.error] : undefined;
  const retry = Number(params.retry);
  const notice = typeof params.notice === 'string' ? MEMBER_NOTICES[params.notice] : undefined;
  const invite = typeof params.invite === 'string' ? params.invite : '';

  return (
    <MemberView
      summary={summary}
      history={history}
      redeemAction={redeemCode}
      regenerateAction={regenerateCode}
      error={error}
      retry={retry}
      notice={notice}
      problem={problem}
      invite={invite}
    >
      <section className="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p className="muted">
          Your name, e-mail address and sign-in are erased, and you are signed out. The referrals you were part of stay,
          without your name, so your friends keep their bonuses; your invite link stops working. An account deleted once
          cannot be invited or earn referral bonuses again. This cannot be undone.
        </p>
        <form action={deleteMyAccount}>
          <div className="field">
            <label htmlFor="delete-confirm">Type &quot;{DELETE_CONFIRMATION_WORD}&quot; to confirm</label>
            <input id="delete-confirm" name="confirm" type="text" required autoComplete="off" maxLength={20} />
          </div>
          <ConfirmSubmit message="Delete your account? This cannot be undone.">Delete my account</ConfirmSubmit>
        </form>
      </section>
    </MemberView>
  );
}
