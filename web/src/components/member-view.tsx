import {
  ERROR_MESSAGES,
  STATUS_WORDS,
  statusReasonWords,
  type ErrorCode,
  type QuotaHistoryItem,
  type ReferralListItem,
  type ReferralSummary,
} from '@app/common';
import QRCode from 'qrcode';
import type { ReactNode } from 'react';
import { ConfirmSubmit } from '@/components/confirm-submit';
import { CopyButton } from '@/components/copy-button';
import { LiveUpdates } from '@/components/live-updates';
import { ShareButton } from '@/components/share-button';

// What a member sees of their referrals, on /referrals and in the embedded
// portal (docs/integration.md, "The embedded portal"): one view, so both say
// and show the same. Each page passes its own form actions (and, in the
// portal, the hidden field that carries its session).

/** The notices of the page's `?notice=` key. */
export const MEMBER_NOTICES: Record<string, string> = {
  regenerated: 'You have a new code. Your old link no longer works; your referrals are kept.',
  'redeemed-completed': 'Invite applied: you and your friend both got your bonus.',
  'redeemed-pending': 'Invite applied. The bonus arrives when your sign-up is complete.',
  'redeemed-held': 'Invite applied. It is under review: the bonus arrives once it is approved.',
};

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.ceil((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function QuotaHistory({ items }: { items: QuotaHistoryItem[] }) {
  if (items.length === 0) return <p className="muted">No changes yet: every bonus you get shows up here.</p>;
  return (
    <table className="stack" data-testid="quota-history">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, i) => (
          <tr key={`${item.createdAt.toISOString()}-${i}`}>
            <td data-label="When">{dateFormat.format(item.createdAt)}</td>
            <td data-label="What">{item.description}</td>
            <td data-label="Change" className={item.amount < 0 ? 'negative' : 'positive'}>{signed(item.amount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReferralRows({ referrals }: { referrals: ReferralListItem[] }) {
  if (referrals.length === 0) {
    return <p className="muted">No one yet. Share your link: each friend who signs up counts here.</p>;
  }
  return (
    <table className="stack">
      <thead>
        <tr>
          <th scope="col">Friend</th>
          <th scope="col">Status</th>
          <th scope="col">Joined</th>
          <th scope="col">Completed</th>
        </tr>
      </thead>
      <tbody>
        {referrals.map((r, i) => (
          <tr key={`${r.createdAt.toISOString()}-${i}`}>
            <td data-label="Friend">{r.name}</td>
            <td data-label="Status">
              <span className={`badge ${r.status}`}>{STATUS_WORDS[r.status]}</span>
              {r.statusReason && <span className="muted reason">{statusReasonWords(r.statusReason)}</span>}
            </td>
            <td data-label="Joined">{dateFormat.format(r.createdAt)}</td>
            <td data-label="Completed">{r.completedAt ? dateFormat.format(r.completedAt) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface MemberViewProps {
  summary: ReferralSummary;
  history: QuotaHistoryItem[];
  redeemAction: (formData: FormData) => Promise<void>;
  regenerateAction: (formData: FormData) => Promise<void>;
  /** Hidden fields every form of the view sends (the portal's session). */
  hidden?: Record<string, string>;
  /** The portal's session: live updates fetch their websocket token with it instead of the sign-in cookie. */
  portalSession?: string;
  /** The page's `?error=`, `?retry=`, `?notice=`, `?invite=` and a problem of its own, already read. */
  error: ErrorCode | null;
  retry: number;
  notice: string | undefined;
  problem: string | undefined;
  invite: string;
  /** What the page adds at the end (the member page: deleting the account). */
  children?: ReactNode;
}

function Hidden({ fields }: { fields: Record<string, string> | undefined }) {
  return <>{Object.entries(fields ?? {}).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}</>;
}

export async function MemberView(props: MemberViewProps) {
  const { summary, history, redeemAction, regenerateAction, hidden, error, retry, notice, problem, invite } = props;
  const qr = await QRCode.toString(summary.referralLink, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return (
    <>
      <h1>Your referrals</h1>
      <LiveUpdates portalSession={props.portalSession} />
      {notice && <p className="notice ok" role="status">{notice}</p>}
      {error && (
        <p className="notice bad" role="alert">
          {ERROR_MESSAGES[error]}
          {error === 'rate_limited' && Number.isFinite(retry) && retry > 0 && ` Try again in ${formatDuration(retry)}.`}
        </p>
      )}
      {problem && (
        <p className="notice bad" role="alert">
          {problem}
        </p>
      )}

      <div className="grid two">
        <section className="card" aria-labelledby="share-heading">
          <h2 id="share-heading">Your invite link</h2>
          <label htmlFor="referral-link">Link</label>
          <input id="referral-link" type="url" readOnly value={summary.referralLink} data-testid="referral-link" />
          <div className="row" style={{ marginTop: '0.75rem' }}>
            <CopyButton text={summary.referralLink} />
            <ShareButton url={summary.referralLink} text={`Join me: we both get +${summary.rewards.referred} quota.`} />
          </div>
          <p className="muted">
            Code: <span className="code" data-testid="referral-code">{summary.referralCode}</span>
          </p>
          <p>
            Each friend who finishes signing up gets +{summary.rewards.referred}, and you get +{summary.rewards.referrer}.
          </p>
        </section>
        <section className="card qr" aria-label="QR code of your invite link">
          <div role="img" aria-label={`QR code for ${summary.referralLink}`} dangerouslySetInnerHTML={{ __html: qr }} />
        </section>
      </div>

      <div className="grid two">
        <section className="card" aria-labelledby="uses-heading">
          <h2 id="uses-heading">Invites used</h2>
          <p className="stat" data-testid="used-referrals">
            {summary.usedReferrals} <span className="muted" style={{ fontSize: '1rem' }}>of {summary.maxReferrals}</span>
          </p>
          <progress max={summary.maxReferrals} value={summary.usedReferrals} aria-label="Invites used">
            {summary.usedReferrals} of {summary.maxReferrals}
          </progress>
          <p className="muted">{summary.remainingReferrals} left. Pending invites and those under review count too.</p>
        </section>
        <section className="card" aria-labelledby="quota-heading">
          <h2 id="quota-heading">Your quota</h2>
          <p className="stat" data-testid="quota">{summary.quota}</p>
          {summary.referredBy && <p className="muted">You were invited by {summary.referredBy.name}.</p>}
          {summary.referredBy?.status === 'held' && (
            <p className="notice info" data-testid="own-referral-status">Your welcome bonus is under review: it is added once approved.</p>
          )}
          {summary.referredBy?.status === 'rejected' && (
            <p className="notice info" data-testid="own-referral-status">{statusReasonWords(summary.referredBy.statusReason) ?? 'Your invite was not credited.'}</p>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="friends-heading">
        <h2 id="friends-heading">People you invited</h2>
        <ReferralRows referrals={summary.referrals} />
      </section>

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">Quota history</h2>
        <QuotaHistory items={history} />
      </section>

      {summary.canRedeem && (
        <section className="card" aria-labelledby="redeem-heading">
          <h2 id="redeem-heading">Were you invited?</h2>
          <form action={redeemAction}>
            <Hidden fields={hidden} />
            <div className="field">
              <label htmlFor="redeem-input">Enter a friend&apos;s code or paste their link</label>
              <input id="redeem-input" name="referralCode" type="text" required maxLength={2048} defaultValue={invite} autoComplete="off" />
            </div>
            <button type="submit">Apply invite</button>
          </form>
        </section>
      )}

      <section className="card" aria-labelledby="regenerate-heading">
        <h2 id="regenerate-heading">Get a new code</h2>
        <p className="muted">
          Your current link stops working at once. People you already invited stay, and still count. You can do this{' '}
          {summary.regenerationsLeftToday} more {summary.regenerationsLeftToday === 1 ? 'time' : 'times'} today (UTC).
        </p>
        <form action={regenerateAction}>
          <Hidden fields={hidden} />
          <ConfirmSubmit
            message="Get a new code? Your current link will stop working at once."
            disabled={summary.regenerationsLeftToday === 0}
          >
            Get a new code
          </ConfirmSubmit>
        </form>
      </section>

      {props.children}
    </>
  );
}
