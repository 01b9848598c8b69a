import { DECISION_WORDS, STATUS_WORDS, type DecisionLogEntry } from '@app/common';
import { displayName, formatWhen } from './shared';

/** The latest operator decisions: when, who, what, on which referral, and why. */
export function AuditLogSection({ decisions }: { decisions: DecisionLogEntry[] }) {
  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      {decisions.length === 0 ? (
        <p className="muted">No decisions yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack" data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Operator</th>
                <th scope="col">Decision</th>
                <th scope="col">Referral</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((d) => (
                <tr key={d.id}>
                  <td data-label="When">{formatWhen(d.createdAt)}</td>
                  <td data-label="Operator">{d.actorEmail}</td>
                  <td data-label="Decision">
                    <span className={`badge ${d.action}`}>{DECISION_WORDS[d.action]}</span>
                  </td>
                  <td data-label="Referral">
                    <div>
                      {d.friend ? displayName(d.friend) : 'Deleted account'}
                      <span className="email">invited by {d.referrer ? displayName(d.referrer) : 'a deleted account'}</span>
                    </div>
                  </td>
                  <td data-label="Status">
                    {STATUS_WORDS[d.fromStatus]} → {STATUS_WORDS[d.toStatus]}
                  </td>
                  <td data-label="Reason">{d.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
