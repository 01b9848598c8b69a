// The referral program as data (docs/referral-rules.md, "The program's
// settings"): every number of the rules, versioned in `referral_program`.
// This file is the one home of what a setting is: its name, the words an
// operator reads for it, and the range it may take. The database functions
// read the current version themselves (referral_program_current); this module
// reads it for the pages and saves an operator's change as a new version.
import { desc, eq, getTableColumns, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { DEFAULT_PROGRAM, FRAUD_SIGNALS, type FraudSignal } from '../constants';
import type { Db } from '../db/client';
import { referralProgram, type ReferralProgramRow } from '../db/schema';
import { fail, type Result } from '../errors';
import { parseOperatorReason } from './operator-reason';

/** Every number of the program. */
export type ProgramSettings = {
  -readonly [K in Exclude<keyof typeof DEFAULT_PROGRAM, 'signalWeights'>]: number;
} & { signalWeights: Record<FraudSignal, number> };

export type ProgramSettingKey = Exclude<keyof ProgramSettings, 'signalWeights'>;

/** One setting as the operator's form shows it. */
export interface ProgramField {
  label: string;
  /** What the number counts, after it ("quota", "days"). */
  unit: string;
  min: number;
  max: number;
  /** What changing it does, in a sentence. */
  help: string;
}

/** The settings an operator may change, in the order the form shows them, with their ranges. */
export const PROGRAM_FIELDS: Readonly<Record<ProgramSettingKey, ProgramField>> = {
  rewardReferrer: {
    label: 'Reward for the referrer',
    unit: 'quota',
    min: 0,
    max: 100_000,
    help: 'Added to the referrer when a referral completes. A referral pays the rewards of the version it was redeemed under.',
  },
  rewardReferred: {
    label: 'Reward for the friend',
    unit: 'quota',
    min: 0,
    max: 100_000,
    help: 'Added to the friend when the referral completes.',
  },
  maxReferralsPerReferrer: {
    label: 'Referrals per referrer',
    unit: 'referrals',
    min: 1,
    max: 1_000,
    help: 'The cap: pending, held and completed referrals count, over all of a referrer\'s codes. Lowering it takes nothing back.',
  },
  redeemWindowDays: {
    label: 'Redeem window',
    unit: 'days',
    min: 1,
    max: 365,
    help: 'A new account can use a code within this many days of signing up.',
  },
  regenerationsPerDay: {
    label: 'New codes per day',
    unit: 'per member',
    min: 0,
    max: 50,
    help: 'How many times a member may replace their code in one UTC day (0: never).',
  },
  attributionCookieDays: {
    label: 'Invite remembered for',
    unit: 'days',
    min: 1,
    max: 365,
    help: 'How long the landing page remembers a code in the visitor\'s browser, for a sign-up later.',
  },
  fraudThreshold: {
    label: 'Review threshold',
    unit: 'points',
    min: 1,
    max: 10_000,
    help: 'A referral whose signals add up to this many points or more is held for review instead of rewarded.',
  },
  velocityWindowMinutes: {
    label: 'Burst window',
    unit: 'minutes',
    min: 1,
    max: 1_440,
    help: 'The velocity signal looks at the referrals a referrer received within this many minutes.',
  },
  velocityMaxReferrals: {
    label: 'Referrals allowed in a burst',
    unit: 'referrals',
    min: 1,
    max: 1_000,
    help: 'More than this many within the burst window fire the velocity signal.',
  },
  addressHistoryDays: {
    label: 'Address history',
    unit: 'days',
    min: 1,
    max: 365,
    help: 'How far back the addresses of sign-ins and landing visits count for same address and same network.',
  },
};

/** Each signal's weight takes whole points in this range (0: the signal counts for nothing). */
export const SIGNAL_WEIGHT_RANGE = Object.freeze({ min: 0, max: 10_000 });

export const PROGRAM_SETTING_KEYS = Object.keys(PROGRAM_FIELDS) as ProgramSettingKey[];

function wholeNumber(label: string, min: number, max: number) {
  const message = `${label}: a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** What a new version must be: every setting, each in its range. */
export const programSettingsSchema = z
  .object({
    ...(Object.fromEntries(
      PROGRAM_SETTING_KEYS.map((key) => [key, wholeNumber(PROGRAM_FIELDS[key].label, PROGRAM_FIELDS[key].min, PROGRAM_FIELDS[key].max)]),
    ) as Record<ProgramSettingKey, z.ZodNumber>),
    signalWeights: z
      .object(
        Object.fromEntries(
          FRAUD_SIGNALS.map((signal) => [signal, wholeNumber(`Weight of ${signal}`, SIGNAL_WEIGHT_RANGE.min, SIGNAL_WEIGHT_RANGE.max)]),
        ) as Record<FraudSignal, z.ZodNumber>,
      )
      .strict(),
  })
  .strict();

/** One version of the program: its settings, and who made it, when and why. */
export interface Program extends ProgramSettings {
  version: number;
  createdAt: Date;
  /** The operator; null for version 1 (the defaults). */
  createdBy: { id: string | null; email: string } | null;
  reason: string;
}

/** What version 1 says of itself. */
export const DEFAULT_PROGRAM_REASON = 'The defaults (common/src/constants.ts, DEFAULT_PROGRAM).';

function fromRow(row: ReferralProgramRow): Program {
  const { version, createdAt, createdById, createdByEmail, reason, signalWeights, ...numbers } = row;
  return {
    ...numbers,
    signalWeights: Object.fromEntries(FRAUD_SIGNALS.map((s) => [s, signalWeights[s] ?? 0])) as Record<FraudSignal, number>,
    version,
    createdAt,
    createdBy: createdByEmail === null ? null : { id: createdById, email: createdByEmail },
    reason,
  };
}

/** The settings alone, as the table's columns name them (for referral_program_update and the seed of version 1). */
function toColumns(settings: ProgramSettings): Record<string, unknown> {
  const columns = getTableColumns(referralProgram);
  return Object.fromEntries(
    (Object.keys(settings) as (keyof ProgramSettings)[]).map((key) => [columns[key].name, settings[key]]),
  );
}

/** Version 1 as a row of `referral_program` (migration 0007 inserts it; common/src/db/migrate.ts passes it). */
export function programDefaultsRow(): Record<string, unknown> {
  return { ...toColumns(structuredClone(DEFAULT_PROGRAM) as ProgramSettings), reason: DEFAULT_PROGRAM_REASON };
}

/** The program in force now. */
export async function getProgram(options: { db: Db }): Promise<Program> {
  const [row] = await options.db.select().from(referralProgram).orderBy(desc(referralProgram.version)).limit(1);
  if (!row) throw new Error('referral_program is empty: run the migrations (pnpm db:migrate)');
  return fromRow(row);
}

/** The given versions (each once; nulls skipped), by version. */
export async function getProgramVersions(options: { db: Db; versions: readonly (number | null)[] }): Promise<Map<number, Program>> {
  const versions = [...new Set(options.versions.filter((v): v is number => v !== null))];
  if (versions.length === 0) return new Map();
  const rows = await options.db.select().from(referralProgram).where(inArray(referralProgram.version, versions));
  return new Map(rows.map((row) => [row.version, fromRow(row)]));
}

/** The latest versions, newest first: the program's history. */
export async function getProgramHistory(options: { db: Db; limit?: number }): Promise<Program[]> {
  const rows = await options.db
    .select()
    .from(referralProgram)
    .orderBy(desc(referralProgram.version))
    .limit(options.limit ?? 20);
  return rows.map(fromRow);
}

/** The settings that differ between two versions, in the form's order (signal weights as `signalWeights.<signal>`). */
export function programChanges(before: ProgramSettings, after: ProgramSettings): { key: string; before: number; after: number }[] {
  const changes = PROGRAM_SETTING_KEYS.filter((key) => before[key] !== after[key]).map((key) => ({
    key: key as string,
    before: before[key],
    after: after[key],
  }));
  for (const signal of FRAUD_SIGNALS) {
    if (before.signalWeights[signal] !== after.signalWeights[signal]) {
      changes.push({ key: `signalWeights.${signal}`, before: before.signalWeights[signal], after: after.signalWeights[signal] });
    }
  }
  return changes;
}

export interface UpdateProgramOptions {
  db: Db;
  /** Every setting of the new version (unvalidated: this checks it). */
  settings: unknown;
  /** The version the operator saw; another saved since is a `conflict`. Omit to build on whatever is current. */
  expectedVersion?: number;
  actor: { id: string | null; email: string };
  /** Why, for the program's history (required). */
  reason: string;
}

export type UpdateProgramResult = Result<{ program: Program }, 'invalid_input' | 'conflict'>;

/**
 * Saves an operator's change as the next version (referral_program_update):
 * validated here, numbered in commit order there, so two operators saving at
 * once make two whole versions, one after the other, never a mix. Nothing
 * changes on bad input, on a stale `expectedVersion`, or when nothing differs.
 */
export async function updateProgram(options: UpdateProgramOptions): Promise<UpdateProgramResult> {
  const reason = parseOperatorReason(options.reason);
  if (!reason.ok) return reason;
  const parsed = programSettingsSchema.safeParse(options.settings);
  if (!parsed.success) {
    const messages = [...new Set(parsed.error.issues.map((issue) => (issue.code === 'unrecognized_keys' ? 'Unknown setting.' : issue.message)))];
    return fail('invalid_input', { message: messages.join(' ') });
  }
  const [row] = await options.db.$client<{ result_code: 'ok' | 'conflict' | 'unchanged'; result_version: number }[]>`
    select * from referral_program_update(
      ${JSON.stringify(toColumns(parsed.data as ProgramSettings))}::jsonb, ${options.expectedVersion ?? null},
      ${options.actor.id}, ${options.actor.email}, ${reason.reason})`;
  if (!row) throw new Error('referral_program_update returned no row');
  if (row.result_code === 'conflict') {
    return fail('conflict', {
      message: `Another operator saved version ${row.result_version} meanwhile: look at it, then make your change again.`,
    });
  }
  if (row.result_code === 'unchanged') return fail('invalid_input', { message: 'Nothing differs from the current version.' });
  const [saved] = await options.db.select().from(referralProgram).where(eq(referralProgram.version, row.result_version));
  return { ok: true, program: fromRow(saved!) };
}
