import { OPERATOR_REASON_MAX_LENGTH, type AdminReferral } from '@app/common';
import { ConfirmSubmit } from '@/components/confirm-submit';
import { revokeReferral } from '../actions';
import { displayName, formatWhen, Person } from './shared';

/** The latest completed referrals, each with a Revoke form. */
export function RecentCompletionsSection({ completed }: { completed: AdminReferral[] }) {
  return (
    <section className="card" aria-labelledby="completed-heading">
      <h2 id="completed-heading">Recently completed</h2>
      <p className="muted">
        The {completed.length} most recently completed referrals. Revoking one takes both rewards back
        (the quota can go below what the member has used) and cannot be undone.
      </p>
      {completed.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack" data-testid="completed-referrals">
            <thead>
              <tr>
                <th scope="col">Friend</th>
                <th scope="col">Referrer</th>
                <th scope="col">Completed</th>
                <th scope="col">Signals</th>
                <th scope="col">Revoke</th>
              </tr>
            </thead>
            <tbody>
              {completed.map((c) => (
                <tr key={c.referralId}>
                  <td data-label="Friend">
                    <Person person={c.friend} />
                  </td>
                  <td data-label="Referrer">
                    <Person person={c.referrer} />
                  </td>
                  <td data-label="Completed">{c.completedAt ? formatWhen(c.completedAt) : '—'}</td>
                  <td data-label="Signals">
                    {c.signals.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      <div>
                        {c.signals.map((s) => (
                          <code key={s.signal} title={s.description} style={{ display: 'block' }}>
                            {s.signal}
                          </code>
                        ))}
                      </div>
                    )}
                  </td>
                  <td data-label="Revoke">
                    <form action={revokeReferral} className="revoke-form">
                      <input type="hidden" name="referralId" value={c.referralId} />
                      <label className="sr-only" htmlFor={`revoke-${c.referralId}`}>
                        Reason for revoking the referral of {displayName(c.friend)}
                      </label>
                      <input id={`revoke-${c.referralId}`} name="reason" type="text" required maxLength={OPERATOR_REASON_MAX_LENGTH} placeholder="Reason" />
                      <ConfirmSubmit
                        message={`Revoke the referral of ${displayName(c.friend)} by ${displayName(c.referrer)}? Both rewards are taken back, and this cannot be undone.`}
                      >
                        Revoke
                      </ConfirmSubmit>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
