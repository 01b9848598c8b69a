import { sql } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { users, type ReferralStatus } from '../../db/schema';
import { getProgramVersions } from '../program';
import { personColumns, type AdminPerson } from './people';
import { describeSignals, type AdminSignal } from './signals';

/** A referral as the review queue and the recent completions list it. */
export interface AdminReferral {
  /** The referral's id: its referred user's id (what decideReferral takes). */
  referralId: string;
  referrer: AdminPerson;
  friend: AdminPerson;
  status: ReferralStatus;
  riskScore: number;
  /** The review threshold of the program version that scored it (null: not scored yet). */
  threshold: number | null;
  signals: AdminSignal[];
  /** Why it is held or not credited, as members read it. */
  statusReason: string | null;
  /** When the friend redeemed the code. */
  createdAt: Date;
  completedAt: Date | null;
  /** The program version whose threshold and weights scored it when the friend finished (null: not yet). */
  scoredProgramVersion: number | null;
}

/** The referral's two people: join `referrer` on its referrer_id, `friend` on its referred_id. */
export const referrer = alias(users, 'referrer');
export const friend = alias(users, 'friend');

type ReferralColumn =
  | 'referredId'
  | 'status'
  | 'riskScore'
  | 'signals'
  | 'statusReason'
  | 'createdAt'
  | 'completedAt'
  | 'scoredProgramVersion';

/** The columns of an AdminReferral (signals still as codes), from `referral` or a subquery of it. */
export function adminReferralColumns<R extends Record<ReferralColumn, AnyPgColumn>>(referral: R) {
  const r: Pick<R, ReferralColumn> = referral;
  return {
    referralId: r.referredId,
    referrer: personColumns(referrer),
    friend: personColumns(friend),
    status: r.status,
    riskScore: r.riskScore,
    signals: r.signals,
    statusReason: r.statusReason,
    createdAt: r.createdAt,
    completedAt: r.completedAt,
    scoredProgramVersion: r.scoredProgramVersion,
  };
}

/**
 * Rows of adminReferralColumns with their signals in words and the threshold
 * they were scored against, both from the program version that scored each
 * (docs/reviewing-referrals.md, "Signals"): a later change of the weights
 * does not rewrite why a referral was held.
 */
export async function withSignalsDescribed<T extends { signals: string[]; scoredProgramVersion: number | null }>(
  db: Db,
  rows: T[],
): Promise<(Omit<T, 'signals'> & { signals: AdminSignal[]; threshold: number | null })[]> {
  const programs = await getProgramVersions({ db, versions: rows.map((row) => row.scoredProgramVersion) });
  return rows.map((row) => {
    const program = row.scoredProgramVersion === null ? undefined : programs.get(row.scoredProgramVersion);
    return {
      ...row,
      signals: program ? describeSignals(row.signals, program) : [],
      threshold: program ? program.fraudThreshold : null,
    };
  });
}

/**
 * `status = '<status>'` with the status written into the statement, as a
 * literal rather than a parameter: the planner knows it asks for the few held
 * referrals or the many completed ones, even in the generic plan PostgreSQL
 * keeps for a prepared statement after a few runs.
 */
export function statusIs(column: AnyPgColumn, status: ReferralStatus) {
  return sql`${column} = ${sql.raw(`'${status}'`)}`;
}
