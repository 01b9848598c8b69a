import { PROGRAM_OVERVIEW_MAX_AGE_SECONDS, type ProgramOverview } from '@app/common';
import { formatNumber, formatWhen, Stats } from './shared';

/** The all-time figures, from the snapshot, with its time. */
export function OverviewSection({ overview }: { overview: ProgramOverview }) {
  const { totals } = overview;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading">All time</h2>
      <p className="muted" data-testid="overview-as-of">
        As of {formatWhen(overview.computedAt)}; counted again at most every {PROGRAM_OVERVIEW_MAX_AGE_SECONDS} seconds while the page is in use.
      </p>
      <Stats
        testId="totals"
        figures={[
          ['Landing views', totals.landingViews],
          ['Sign-ups', totals.signUps],
          ['Completed', totals.completed],
          ['Under review', totals.held],
          ['Rejected', totals.rejected],
          ['Pending', totals.pending],
          ['Quota granted', totals.quotaGranted - totals.quotaClawedBack],
        ]}
      />
      <p className="muted">
        {formatNumber(totals.referrers)} {totals.referrers === 1 ? 'member has' : 'members have'} referred someone.
        Quota granted is net: {formatNumber(totals.quotaGranted)} in rewards, less {formatNumber(totals.quotaClawedBack)}{' '}
        taken back by revocations.
      </p>
    </section>
  );
}
