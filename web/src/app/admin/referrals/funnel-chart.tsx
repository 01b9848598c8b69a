import type { FunnelDay } from '@app/common';

/** The sign-up statuses, bottom to top in each stacked bar, with their legend words. */
export const SERIES = [
  { key: 'completed', label: 'Completed' },
  { key: 'held', label: 'Under review' },
  { key: 'rejected', label: 'Rejected' },
  { key: 'pending', label: 'Pending' },
] as const;

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 14, right: 8, bottom: 30, left: 40 };

const dayLabel = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);

/** A round step (1, 2 or 5 times a power of ten) giving about four grid lines up to `max`. */
function gridStep(max: number): number {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return step;
}

export function describeDay(d: FunnelDay): string {
  return `${dayLabel.format(utcDay(d.day))}: ${d.landingViews} landing ${d.landingViews === 1 ? 'view' : 'views'}, ${d.signUps} ${
    d.signUps === 1 ? 'sign-up' : 'sign-ups'
  } (${d.completed} completed, ${d.held} under review, ${d.rejected} rejected, ${d.pending} pending)`;
}

/**
 * The funnel per day as a server-rendered SVG bar chart: for each day, a bar
 * of landing views and beside it a bar of sign-ups stacked by their status.
 * No script, no library; the numbers are also in the table under it, and the
 * chart's title and description say what it shows.
 */
export function FunnelChart({ days, totals }: { days: FunnelDay[]; totals: Omit<FunnelDay, 'day'> }) {
  const max = Math.max(1, ...days.map((d) => Math.max(d.landingViews, d.signUps)));
  const step = gridStep(max);
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, days.length);
  const bar = Math.min(18, slot * 0.36);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const h = (value: number) => (value / top) * plotHeight;
  const first = days[0];
  const last = days.at(-1);
  const labelEvery = days.length > 10 ? 2 : 1;

  return (
    <svg
      className="funnel-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby="funnel-chart-title funnel-chart-desc"
      data-testid="funnel-chart"
    >
      <title id="funnel-chart-title">Referral funnel per day</title>
      <desc id="funnel-chart-desc">
        {first && last
          ? `From ${dayLabel.format(utcDay(first.day))} to ${dayLabel.format(utcDay(last.day))} (UTC): ${totals.landingViews} landing views and ${totals.signUps} sign-ups, of which ${totals.completed} completed, ${totals.held} under review, ${totals.rejected} rejected and ${totals.pending} pending. Each day has a bar of landing views and a bar of sign-ups by status; the table below has the numbers.`
          : 'No days to show.'}
      </desc>
      {ticks.map((t) => (
        <g key={t} className="grid">
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
          <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      {days.map((d, i) => {
        const x = PAD.left + i * slot + (slot - 2 * bar - 2) / 2;
        let stacked = 0;
        return (
          <g key={d.day}>
            <title>{describeDay(d)}</title>
            <rect className="views" x={x} y={y(d.landingViews)} width={bar} height={h(d.landingViews)} />
            {SERIES.map(({ key }) => {
              const value = d[key];
              stacked += value;
              return value > 0 ? <rect key={key} className={key} x={x + bar + 2} y={y(stacked)} width={bar} height={h(value)} /> : null;
            })}
            {i % labelEvery === (days.length - 1) % labelEvery && (
              <text className="day" x={PAD.left + i * slot + slot / 2} y={HEIGHT - PAD.bottom + 18} textAnchor="middle">
                {dayLabel.format(utcDay(d.day))}
              </text>
            )}
          </g>
        );
      })}
      <line className="axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} />
    </svg>
  );
}
