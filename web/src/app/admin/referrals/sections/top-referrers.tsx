import type { TopReferrer } from '@app/common';
import { Person } from './shared';

/** The all-time top referrers, from the snapshot. */
export function TopReferrersSection({ top }: { top: TopReferrer[] }) {
  return (
    <section className="card" aria-labelledby="top-heading">
      <h2 id="top-heading">Top referrers</h2>
      {top.length === 0 ? (
        <p className="muted">Nobody has referred anyone yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">Referrer</th>
                <th scope="col" className="num">Completed</th>
                <th scope="col" className="num">Under review</th>
                <th scope="col" className="num">Pending</th>
                <th scope="col" className="num">Rejected</th>
                <th scope="col" className="num">Landing views</th>
              </tr>
            </thead>
            <tbody>
              {top.map((t) => (
                <tr key={t.referrer.id}>
                  <td data-label="Referrer">
                    <Person person={t.referrer} />
                  </td>
                  <td data-label="Completed" className="num">{t.completed}</td>
                  <td data-label="Under review" className="num">{t.held}</td>
                  <td data-label="Pending" className="num">{t.pending}</td>
                  <td data-label="Rejected" className="num">{t.rejected}</td>
                  <td data-label="Landing views" className="num">{t.landingViews}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
