import { ADMIN_FUNNEL_DAYS, type FunnelDay } from '@app/common';
import { FunnelChart, SERIES } from '../funnel-chart';
import { formatNumber } from './shared';

function sumDays(days: FunnelDay[]): Omit<FunnelDay, 'day'> {
  const total = { landingViews: 0, signUps: 0, pending: 0, held: 0, completed: 0, rejected: 0 };
  for (const d of days) for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += d[key];
  return total;
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);

/** One row of the numbers per day: a day's counts, or the window's total. */
function CountsRow({ label, counts }: { label: string; counts: Omit<FunnelDay, 'day'> }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{counts.landingViews}</td>
      <td className="num">{counts.signUps}</td>
      {SERIES.map((s) => (
        <td key={s.key} className="num">
          {counts[s.key]}
        </td>
      ))}
    </tr>
  );
}

/** The last ADMIN_FUNNEL_DAYS days: the conversion, the chart, its legend and the numbers per day. */
export function FunnelSection({ days }: { days: FunnelDay[] }) {
  const windowTotals = sumDays(days);
  return (
    <section className="card" aria-labelledby="funnel-heading">
      <div className="section-head">
        <h2 id="funnel-heading">Last {ADMIN_FUNNEL_DAYS} days</h2>
        <p className="muted" style={{ margin: 0 }}>
          {formatNumber(windowTotals.landingViews)} views → {formatNumber(windowTotals.signUps)} sign-ups (
          {percent(windowTotals.signUps, windowTotals.landingViews)}) → {formatNumber(windowTotals.completed)} completed (
          {percent(windowTotals.completed, windowTotals.signUps)})
        </p>
      </div>
      <div className="chart-wrap">
        <FunnelChart days={days} totals={windowTotals} />
      </div>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="swatch views" aria-hidden="true" /> Landing views (left bar)
        </li>
        {SERIES.map((s) => (
          <li key={s.key}>
            <span className={`swatch ${s.key}`} aria-hidden="true" /> {s.label}
          </li>
        ))}
      </ul>
      <p className="muted">
        Sign-ups (right bar) are counted on the day the friend used the code, under the status their referral has now.
      </p>
      <details>
        <summary>Numbers per day</summary>
        <div className="table-wrap">
          <table data-testid="funnel-table">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">Landing views</th>
                <th scope="col" className="num">Sign-ups</th>
                {SERIES.map((s) => (
                  <th key={s.key} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <CountsRow key={d.day} label={d.day} counts={d} />
              ))}
            </tbody>
            <tfoot>
              <CountsRow label="Total" counts={windowTotals} />
            </tfoot>
          </table>
        </div>
      </details>
    </section>
  );
}
