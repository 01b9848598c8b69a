import { OPERATOR_REASON_MAX_LENGTH, type AccountDeletionEntry } from '@app/common';
import { ConfirmSubmit } from '@/components/confirm-submit';
import { deleteMemberAccount } from '../actions';
import { formatWhen } from './shared';

/** The latest account deletions, and the form to delete a member's account. */
export function AccountDeletionSection({ deletions }: { deletions: AccountDeletionEntry[] }) {
  return (
    <section className="card" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete an account</h2>
      {deletions.length > 0 && (
        <div className="table-wrap">
          <table className="stack" data-testid="account-deletions">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Asked by</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {deletions.map((d) => (
                <tr key={d.id}>
                  <td data-label="When">{formatWhen(d.createdAt)}</td>
                  <td data-label="Asked by">{d.requestedBy === 'member' ? 'The member' : d.actorEmail}</td>
                  <td data-label="Reason">{d.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        When a member asks you to. Their name, e-mail address and sign-in are erased; their referrals and ledger rows
        stay, anonymous, and still count; the address can never be invited or rewarded again. Recorded with your
        address and reason. This cannot be undone.
      </p>
      <form action={deleteMemberAccount} className="decide">
        <label htmlFor="delete-email">The member&apos;s e-mail address</label>
        <input id="delete-email" name="email" type="email" required maxLength={254} autoComplete="off" />
        <label htmlFor="delete-reason">Reason (for the audit log)</label>
        <input id="delete-reason" name="reason" type="text" required maxLength={OPERATOR_REASON_MAX_LENGTH} />
        <div className="row">
          <ConfirmSubmit message="Delete this member's account? This cannot be undone.">Delete the account</ConfirmSubmit>
        </div>
      </form>
    </section>
  );
}
