import { eq, inArray, sql } from 'drizzle-orm';
import { PROGRAM_OVERVIEW_MAX_AGE_SECONDS } from '../../constants';
import type { Db } from '../../db/client';
import { programOverview, users } from '../../db/schema';
import { personColumns } from './people';
import { getTopReferrers, type TopReferrer } from './top-referrers';
import { getReferralTotals, type ReferralTotals } from './totals';

/** The operator page's all-time figures, as of `computedAt`. */
export interface ProgramOverview {
  totals: ReferralTotals;
  topReferrers: TopReferrer[];
  computedAt: Date;
  /** Older than PROGRAM_OVERVIEW_MAX_AGE_SECONDS: the caller should have it recomputed (refreshProgramOverview). */
  stale: boolean;
}

/** How many top referrers the snapshot keeps. */
const OVERVIEW_TOP_REFERRERS = 10;

/** What `program_overview.data` holds: refreshProgramOverview writes it, getProgramOverview reads it. */
interface OverviewData {
  totals: ReferralTotals;
  /** Counts only: the people are read when the overview is (a deleted account shows as deleted at once). */
  top: (Omit<TopReferrer, 'referrer'> & { referrerId: string })[];
}

/**
 * Counts the program's all-time totals and top referrers now (a second or
 * more on a large program) and keeps them as the snapshot the operator page
 * shows. Concurrent refreshes are harmless: each writes a whole, consistent
 * snapshot, and the last one stays.
 */
export async function refreshProgramOverview(options: { db: Db }): Promise<ProgramOverview> {
  const { db } = options;
  const [totals, top] = await Promise.all([getReferralTotals({ db }), getTopReferrers({ db, limit: OVERVIEW_TOP_REFERRERS })]);
  const data: OverviewData = { totals, top: top.map(({ referrer, ...counts }) => ({ referrerId: referrer.id, ...counts })) };
  const [row] = await db
    .insert(programOverview)
    .values({ id: 1, data, computedAt: sql`now()` })
    .onConflictDoUpdate({ target: programOverview.id, set: { data: sql`excluded.data`, computedAt: sql`excluded.computed_at` } })
    .returning({ computedAt: programOverview.computedAt });
  return { totals, topReferrers: top, computedAt: row!.computedAt, stale: false };
}

/**
 * The operator page's all-time figures: the latest snapshot (instant, with
 * its time), counted now only when there is none yet. `stale` says it is
 * older than PROGRAM_OVERVIEW_MAX_AGE_SECONDS, for the page to have it
 * recomputed after it answers (stale while revalidating).
 */
export async function getProgramOverview(options: { db: Db }): Promise<ProgramOverview> {
  const { db } = options;
  const [snapshot] = await db
    .select({
      data: programOverview.data,
      computedAt: programOverview.computedAt,
      stale: sql<boolean>`${programOverview.computedAt} < now() - make_interval(secs => ${PROGRAM_OVERVIEW_MAX_AGE_SECONDS})`,
    })
    .from(programOverview)
    .where(eq(programOverview.id, 1));
  if (!snapshot) return refreshProgramOverview({ db });
  // The jsonb column is untyped; what is in it is what refreshProgramOverview wrote.
  const data = snapshot.data as OverviewData;
  const ids = data.top.map((t) => t.referrerId);
  const people = await db.select(personColumns(users)).from(users).where(inArray(users.id, ids));
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    totals: data.totals,
    topReferrers: data.top.map(({ referrerId, ...counts }) => ({
      referrer: byId.get(referrerId) ?? { id: referrerId, name: null, email: null, deleted: true },
      ...counts,
    })),
    computedAt: snapshot.computedAt,
    stale: snapshot.stale,
  };
}
