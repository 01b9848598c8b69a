import { OPERATOR_REASON_MAX_LENGTH, type HeldReferral, type ReviewQueue } from '@app/common';
import { ConfirmSubmit } from '@/components/confirm-submit';
import { approveReferral, rejectReferral } from '../actions';
import { displayName, formatWhen, Person, Signals } from './shared';

/** One held referral: both people, the referrer's record, the score and signals, and the decision form. */
function HeldItem({ item }: { item: HeldReferral }) {
  const headingId = `held-${item.referralId}`;
  return (
    <article aria-labelledby={headingId}>
      <h3 id={headingId}>
        {displayName(item.friend)}, invited by {displayName(item.referrer)}
      </h3>
      <dl>
        <dt>Friend</dt>
        <dd>
          <Person person={item.friend} />
        </dd>
        <dt>Referrer</dt>
        <dd>
          <Person person={item.referrer} />
          <div className="muted">
            Record: {item.referrerRecord.completed} completed, {item.referrerRecord.held} under review,{' '}
            {item.referrerRecord.rejected} rejected
          </div>
        </dd>
        <dt>Used the code</dt>
        <dd>{formatWhen(item.createdAt)}</dd>
        <dt>Held since</dt>
        <dd>{formatWhen(item.heldSince)}</dd>
        <dt>Score</dt>
        <dd>
          {item.riskScore}{' '}
          {item.threshold !== null && (
            <span className="muted">
              (held at {item.threshold}, program version {item.scoredProgramVersion})
            </span>
          )}
        </dd>
      </dl>
      <h4 className="sr-only">Signals</h4>
      <Signals signals={item.signals} />
      <form action={approveReferral} className="decide">
        <input type="hidden" name="referralId" value={item.referralId} />
        <label htmlFor={`reason-${item.referralId}`}>Reason (for the audit log)</label>
        <textarea id={`reason-${item.referralId}`} name="reason" required maxLength={OPERATOR_REASON_MAX_LENGTH} rows={2} />
        <div className="row">
          <button type="submit">Approve</button>
          <ConfirmSubmit
            formAction={rejectReferral}
            message={`Reject the referral of ${displayName(item.friend)} by ${displayName(item.referrer)}? Neither gets a reward, and this cannot be undone.`}
          >
            Reject
          </ConfirmSubmit>
        </div>
      </form>
    </article>
  );
}

/** The held referrals, oldest first, each with Approve and Reject. */
export function ReviewQueueSection({ queue, threshold }: { queue: ReviewQueue; threshold: number }) {
  return (
    <section className="card" aria-labelledby="queue-heading">
      <div className="section-head">
        <h2 id="queue-heading">Review queue ({queue.total})</h2>
        {queue.total > queue.items.length && (
          <p className="muted" style={{ margin: 0 }}>
            The oldest {queue.items.length} of {queue.total}.
          </p>
        )}
      </div>
      <p className="muted">
        Held referrals scored at or above the review threshold ({threshold} now; each shows the one it was scored against). They count toward the referrer&apos;s cap but nobody has
        been rewarded yet. Approve to grant both rewards; reject to grant nothing.
      </p>
      {queue.items.length === 0 ? (
        <p data-testid="queue-empty">Nothing to review.</p>
      ) : (
        <ol className="queue" data-testid="review-queue">
          {queue.items.map((item) => (
            <li key={item.referralId}>
              <HeldItem item={item} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
